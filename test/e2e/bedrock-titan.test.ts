import { status } from "@grpc/grpc-js";
import OpenAI, { type BadRequestError } from "openai";
import { describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, rejection, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import type { GrpcMessage } from "../helpers/grpc-client.js";

const TITAN = "amazon.titan-text-express-v1";

// The same behaviour whichever exchange reaches Bedrock Runtime.
describe.each(BEDROCK_HTTP_CLIENTS)("Titan (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  describe("Titan text through the openai SDK", () => {
    it("answers a unary request, the chat written as a Titan transcript", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: TITAN,
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello." },
          { role: "user", content: "What is Bedrock?" },
        ],
        max_tokens: 200,
        temperature: 0.3,
      });
      expect(answer.model).toBe(TITAN);
      expect(answer.choices[0]?.message.content).toBe("You said: What is Bedrock?");
      expect(answer.choices[0]?.finish_reason).toBe("stop");
      expect(answer.usage?.completion_tokens).toBe(5);
      const received = stack.bedrock.last();
      expect(received.operation).toBe("invoke");
      expect(received.rawPath).toBe("/model/amazon.titan-text-express-v1/invoke");
      expect(received.body).toEqual({
        inputText: "System: You are terse.\n\nUser: Hi\nBot: Hello.\nUser: What is Bedrock?\nBot:",
        textGenerationConfig: { maxTokenCount: 200, temperature: 0.3, stopSequences: ["User:"] },
      });
    });

    it("streams on InvokeModelWithResponseStream", async () => {
      const stream = await stack.openai.chat.completions.create({
        model: TITAN,
        messages: [{ role: "user", content: "stream titan" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("You said: stream titan");
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
      expect(chunks.at(-1)?.usage?.completion_tokens).toBe(4);
      expect(stack.bedrock.last().operation).toBe("invoke-with-response-stream");
    });

    it("maps LENGTH to length", async () => {
      stack.bedrock.enqueue({ kind: "reply", text: "Once upon", stopReason: "LENGTH" });
      const answer = await stack.openai.chat.completions.create({
        model: TITAN,
        messages: [{ role: "user", content: "A story" }],
        max_tokens: 2,
      });
      expect(answer.choices[0]?.finish_reason).toBe("length");
    });

    it("refuses tools and images with a 400 that names the parameter, sending nothing", async () => {
      const tools = await rejection<BadRequestError>(
        stack.openai.chat.completions.create({
          model: TITAN,
          messages: [{ role: "user", content: "x" }],
          tools: [{ type: "function", function: { name: "f" } }],
        }),
      );
      expect(tools).toBeInstanceOf(OpenAI.BadRequestError);
      expect(tools.param).toBe("tools");
      expect(tools.message).toContain("Titan text models");
      const image = await rejection<BadRequestError>(
        stack.openai.chat.completions.create({
          model: TITAN,
          messages: [
            { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] },
          ],
        }),
      );
      expect(image.status).toBe(400);
      expect(image.param).toBe("messages.[0].content.[0]");
      expect(stack.bedrock.requests).toHaveLength(0);
    });
  });

  describe("Titan text through gRPC", () => {
    const hello = { model: TITAN, messages: [{ role: "user", content: "hi titan" }] };

    it("answers a unary call", async () => {
      const answer = await stack.grpc.create({
        model: TITAN,
        messages: [
          { role: "system", content: "Be terse." },
          { role: "user", content: "hi titan" },
        ],
        max_tokens: 50,
        top_p: 0.5,
      });
      expect(answer.choices[0].message.content).toBe("You said: hi titan");
      expect(answer.choices[0].finish_reason).toBe("stop");
      const received = stack.bedrock.last();
      expect(received.operation).toBe("invoke");
      expect(received.rawPath).toBe("/model/amazon.titan-text-express-v1/invoke");
      expect(received.body).toEqual({
        inputText: "System: Be terse.\n\nUser: hi titan\nBot:",
        textGenerationConfig: { maxTokenCount: 50, topP: 0.5, stopSequences: ["User:"] },
      });
    });

    it("streams chunks", async () => {
      const chunks = await stack.grpc.collect({ ...hello, temperature: 0.2 });
      expect(chunks[0]?.choices[0].delta.role).toBe("assistant");
      expect(chunks.map((chunk: GrpcMessage) => chunk.choices?.[0]?.delta?.content ?? "").join("")).toBe(
        "You said: hi titan",
      );
      expect(chunks.at(-1)?.choices[0].finish_reason).toBe("stop");
      const received = stack.bedrock.last();
      expect(received.operation).toBe("invoke-with-response-stream");
      expect(received.rawPath).toBe("/model/amazon.titan-text-express-v1/invoke-with-response-stream");
      expect(received.body).toEqual({
        inputText: "User: hi titan\nBot:",
        textGenerationConfig: { temperature: 0.2, stopSequences: ["User:"] },
      });
    });

    it("refuses a tool conversation with INVALID_ARGUMENT", async () => {
      const error = await rejection<{ code: number; details: string }>(
        stack.grpc.create({
          model: TITAN,
          messages: [
            { role: "user", content: "x" },
            {
              role: "assistant",
              tool_calls: [{ id: "1", type: "function", function: { name: "f", arguments: "{}" } }],
            },
            { role: "tool", tool_call_id: "1", content: "r" },
          ],
        }),
      );
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toContain("Titan text models");
    });
  });
});
