import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import type { GrpcMessage } from "../helpers/grpc-client.js";

// Each family's own way of saying the answer was filtered or refused, with what a model says then.
const FILTERED: [family: string, model: string, stopReason: string, text: string][] = [
  ["Claude", "anthropic.claude-3-5-sonnet-20240620-v1:0", "refusal", "I can't help with that."],
  ["Titan", "amazon.titan-text-express-v1", "CONTENT_FILTERED", "Sorry, I cannot"],
  ["Converse", "amazon.nova-lite-v1:0", "content_filtered", "I cannot answer"],
  [
    "Converse with a guardrail",
    "amazon.nova-lite-v1:0",
    "guardrail_intervened",
    "Sorry, the model cannot answer this.",
  ],
];

// The same behaviour whichever exchange reaches Bedrock Runtime.
describe.each(BEDROCK_HTTP_CLIENTS)("Filtered answers (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "something forbidden" }] });

  describe.each(FILTERED)("%s: %s", (_family, model, stopReason, text) => {
    it("is finish_reason content_filter in a unary answer, with what the model said (HTTP and gRPC)", async () => {
      stack.bedrock.enqueue({ kind: "reply", text, stopReason }, { kind: "reply", text, stopReason });
      const viaHttp = await stack.openai.chat.completions.create(ask(model));
      expect(viaHttp.choices).toEqual([
        {
          index: 0,
          message: { role: "assistant", content: text, refusal: null },
          logprobs: null,
          finish_reason: "content_filter",
        },
      ]);
      const viaGrpc = await stack.grpc.create(ask(model));
      expect(viaGrpc.choices[0].message.content).toBe(text);
      expect(viaGrpc.choices[0].finish_reason).toBe("content_filter");
      expect(stack.bedrock.requests.map((request) => request.operation)).toEqual(
        model.startsWith("amazon.nova") ? ["converse", "converse"] : ["invoke", "invoke"],
      );
    });

    it("ends a stream with finish_reason content_filter (HTTP and gRPC)", async () => {
      stack.bedrock.enqueue({ kind: "reply", text, stopReason }, { kind: "reply", text, stopReason });
      const stream = await stack.openai.chat.completions.create({ ...ask(model), stream: true });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(text);
      expect(chunks.at(-1)?.choices).toEqual([
        { index: 0, delta: {}, logprobs: null, finish_reason: "content_filter" },
      ]);
      const viaGrpc = await stack.grpc.collect(ask(model));
      expect(viaGrpc.map((chunk: GrpcMessage) => chunk.choices?.[0]?.delta?.content ?? "").join("")).toBe(text);
      expect(viaGrpc.at(-1)?.choices[0].finish_reason).toBe("content_filter");
      expect(stack.bedrock.requests.map((request) => request.operation)).toEqual(
        model.startsWith("amazon.nova")
          ? ["converse-stream", "converse-stream"]
          : ["invoke-with-response-stream", "invoke-with-response-stream"],
      );
    });
  });
});
