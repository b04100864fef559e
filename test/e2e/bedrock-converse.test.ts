import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import type { GrpcMessage } from "../helpers/grpc-client.js";
import { protoStruct } from "../helpers/proto-struct.js";

const NOVA = "amazon.nova-lite-v1:0";
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==";

// The same behaviour whichever exchange reaches Bedrock Runtime.
describe.each(BEDROCK_HTTP_CLIENTS)("Converse (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  const lookupTool: OpenAI.ChatCompletionTool = {
    type: "function",
    function: {
      name: "lookup",
      description: "Look a term up.",
      parameters: { type: "object", properties: { term: { type: "string" } }, required: ["term"] },
    },
  };
  const args = { term: 'ünïcödé "quoted"', tags: ["a", "b"], depth: { max: 2 } };

  describe("Converse models through the openai SDK", () => {
    it("answers a unary request on Converse", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: NOVA,
        messages: [
          { role: "developer", content: "Be brief." },
          { role: "user", content: "hello nova" },
        ],
        max_completion_tokens: 100,
        top_p: 0.9,
      });
      expect(answer.model).toBe(NOVA);
      expect(answer.choices[0]?.message.content).toBe("You said: hello nova");
      expect(answer.choices[0]?.finish_reason).toBe("stop");
      expect(answer.usage?.total_tokens).toBeGreaterThan(0);
      const received = stack.bedrock.last();
      expect(received.operation).toBe("converse");
      expect(received.rawPath).toBe("/model/amazon.nova-lite-v1%3A0/converse");
      expect(received.body).toEqual({
        messages: [{ role: "user", content: [{ text: "hello nova" }] }],
        system: [{ text: "Be brief." }],
        inferenceConfig: { maxTokens: 100, topP: 0.9 },
      });
    });

    it("streams on ConverseStream", async () => {
      const stream = await stack.openai.chat.completions.create({
        model: "meta.llama3-8b-instruct-v1:0",
        messages: [{ role: "user", content: "stream from llama" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("You said: stream from llama");
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
      expect(chunks.at(-1)?.usage?.completion_tokens).toBe(5);
      expect(stack.bedrock.last().operation).toBe("converse-stream");
    });

    it("streams a tool call that the SDK reassembles into valid JSON, with the named tool forced", async () => {
      stack.bedrock.enqueue({ kind: "reply", toolUses: [{ name: "lookup", input: args }] });
      // top_k is not in OpenAI's types; the server reads it for Bedrock.
      const params: Parameters<typeof stack.openai.chat.completions.stream>[0] & { top_k: number } = {
        model: NOVA,
        messages: [{ role: "user", content: "Look it up" }],
        tools: [lookupTool],
        tool_choice: { type: "function", function: { name: "lookup" } },
        top_k: 20,
      };
      const final = await stack.openai.chat.completions.stream(params).finalChatCompletion();
      const call = final.choices[0]?.message.tool_calls?.[0];
      if (call?.type !== "function") throw new Error("no function call");
      expect(call.id).toMatch(/^tooluse_/);
      expect(JSON.parse(call.function.arguments)).toEqual(args);
      expect(final.choices[0]?.finish_reason).toBe("tool_calls");
      expect(stack.bedrock.last().body).toMatchObject({
        toolConfig: {
          tools: [
            {
              toolSpec: {
                name: "lookup",
                description: "Look a term up.",
                inputSchema: { json: lookupTool.function.parameters },
              },
            },
          ],
          toolChoice: { tool: { name: "lookup" } },
        },
        // Nova reads top_k as its own inferenceConfig.topK.
        additionalModelRequestFields: { inferenceConfig: { topK: 20 } },
      });
    });

    it("carries a multi-turn tool conversation, defining the tools the history used", async () => {
      // The caller stopped sending tools; Converse still requires their definitions.
      const answer = await stack.openai.chat.completions.create({
        model: NOVA,
        messages: [
          { role: "user", content: "Look up bedrock" },
          {
            role: "assistant",
            content: "Looking it up.",
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "lookup", arguments: '{"term":"bedrock"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "AWS's model service" },
          { role: "user", content: "Summarise that." },
        ],
      });
      expect(answer.choices[0]?.message.content).toBe("You said: Summarise that.");
      expect(stack.bedrock.last().body).toEqual({
        messages: [
          { role: "user", content: [{ text: "Look up bedrock" }] },
          {
            role: "assistant",
            content: [
              { text: "Looking it up." },
              { toolUse: { toolUseId: "call_1", name: "lookup", input: { term: "bedrock" } } },
            ],
          },
          {
            role: "user",
            content: [
              { toolResult: { toolUseId: "call_1", content: [{ text: "AWS's model service" }] } },
              { text: "Summarise that." },
            ],
          },
        ],
        toolConfig: {
          tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object", properties: {} } } } }],
        },
      });
    });

    it("sends a data-URL image as Converse image bytes", async () => {
      await stack.openai.chat.completions.create({
        model: NOVA,
        messages: [
          {
            role: "user",
            content: [
              { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
              { type: "text", text: "Describe it." },
            ],
          },
        ],
      });
      expect((stack.bedrock.last().body.messages as { content: unknown[] }[])[0]?.content).toEqual([
        { image: { format: "png", source: { bytes: PNG_BASE64 } } },
        { text: "Describe it." },
      ]);
    });

    it("sends application inference profiles (ARNs that name no model) to Converse", async () => {
      const arn = "arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/fake0app0profile";
      const answer = await stack.openai.chat.completions.create({
        model: arn,
        messages: [{ role: "user", content: "hi" }],
      });
      expect(answer.model).toBe(arn);
      expect(stack.bedrock.last().operation).toBe("converse");
      expect(stack.bedrock.last().modelId).toBe(arn);
      expect(stack.bedrock.last().rawPath).toContain("application-inference-profile%2Ffake0app0profile");
    });

    it("maps Converse stop reasons: max_tokens to length, content_filtered to content_filter", async () => {
      stack.bedrock.enqueue({ kind: "reply", text: "Cut sh", stopReason: "max_tokens" });
      stack.bedrock.enqueue({ kind: "reply", text: "", stopReason: "content_filtered" });
      const cut = await stack.openai.chat.completions.create({
        model: NOVA,
        messages: [{ role: "user", content: "a" }],
      });
      expect(cut.choices[0]?.finish_reason).toBe("length");
      const filtered = await stack.openai.chat.completions.create({
        model: NOVA,
        messages: [{ role: "user", content: "b" }],
      });
      expect(filtered.choices[0]?.finish_reason).toBe("content_filter");
      expect(filtered.choices[0]?.message.content).toBe("");
    });
  });

  describe("Converse models through gRPC", () => {
    const hello = { model: "us.deepseek.r1-v1:0", messages: [{ role: "user", content: "hi deepseek" }] };

    it("answers a unary call", async () => {
      const answer = await stack.grpc.create({ ...hello, max_tokens: 300, stop: ["END"] });
      expect(answer.choices[0].message.content).toBe("You said: hi deepseek");
      const received = stack.bedrock.last();
      expect(received.operation).toBe("converse");
      expect(received.rawPath).toBe("/model/us.deepseek.r1-v1%3A0/converse");
      expect(received.body).toEqual({
        messages: [{ role: "user", content: [{ text: "hi deepseek" }] }],
        inferenceConfig: { maxTokens: 300, stopSequences: ["END"] },
      });
    });

    it("streams text and a tool call", async () => {
      stack.bedrock.enqueue({ kind: "reply", text: "Checking.", toolUses: [{ name: "lookup", input: args }] });
      const chunks = await stack.grpc.collect({
        model: NOVA,
        messages: [{ role: "user", content: "look" }],
        tools: [{ type: "function", function: { name: "lookup" } }],
        tool_choice: { type: "required" },
        stream_options: { include_usage: true },
      });
      expect(chunks[0]?.choices[0].delta.role).toBe("assistant");
      expect(chunks.map((chunk: GrpcMessage) => chunk.choices?.[0]?.delta?.content ?? "").join("")).toBe("Checking.");
      const deltas = chunks.flatMap((chunk: GrpcMessage) => chunk.choices?.[0]?.delta?.tool_calls ?? []);
      expect(deltas[0]?.function?.name).toBe("lookup");
      expect(JSON.parse(deltas.map((delta: GrpcMessage) => delta.function?.arguments ?? "").join(""))).toEqual(args);
      expect(chunks.at(-2)?.choices[0].finish_reason).toBe("tool_calls");
      expect(Number(chunks.at(-1)?.usage.total_tokens)).toBeGreaterThan(0);
      const received = stack.bedrock.last();
      expect(received.operation).toBe("converse-stream");
      expect(received.body).toEqual({
        messages: [{ role: "user", content: [{ text: "look" }] }],
        toolConfig: {
          tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object", properties: {} } } } }],
          toolChoice: { any: {} },
        },
      });
    });

    it("streams the answer to a multi-turn tool conversation: tool_calls and tool_call_ids become toolUse and toolResult blocks", async () => {
      const chunks = await stack.grpc.collect({
        model: NOVA,
        messages: [
          { role: "system", content: "Use the tools." },
          { role: "user", content: "Look up bedrock and nova" },
          {
            role: "assistant",
            tool_calls: [
              { id: "tooluse_one", type: "function", function: { name: "lookup", arguments: '{"term":"bedrock"}' } },
              { id: "tooluse_two", type: "function", function: { name: "lookup", arguments: '{"term":"nova"}' } },
            ],
          },
          { role: "tool", tool_call_id: "tooluse_one", content: "AWS's model service" },
          { role: "tool", tool_call_id: "tooluse_two", content: "Amazon's models" },
        ],
        tools: [
          {
            type: "function",
            function: {
              name: "lookup",
              description: "Look a term up.",
              parameters: protoStruct(lookupTool.function.parameters ?? {}),
            },
          },
        ],
      });
      expect(chunks.map((chunk: GrpcMessage) => chunk.choices?.[0]?.delta?.content ?? "").join("")).toBe(
        "The tool said: AWS's model service | Amazon's models",
      );
      expect(chunks.at(-1)?.choices[0].finish_reason).toBe("stop");
      const received = stack.bedrock.last();
      expect(received.operation).toBe("converse-stream");
      expect(received.body).toEqual({
        messages: [
          { role: "user", content: [{ text: "Look up bedrock and nova" }] },
          {
            role: "assistant",
            content: [
              { toolUse: { toolUseId: "tooluse_one", name: "lookup", input: { term: "bedrock" } } },
              { toolUse: { toolUseId: "tooluse_two", name: "lookup", input: { term: "nova" } } },
            ],
          },
          {
            role: "user",
            content: [
              { toolResult: { toolUseId: "tooluse_one", content: [{ text: "AWS's model service" }] } },
              { toolResult: { toolUseId: "tooluse_two", content: [{ text: "Amazon's models" }] } },
            ],
          },
        ],
        system: [{ text: "Use the tools." }],
        toolConfig: {
          tools: [
            {
              toolSpec: {
                name: "lookup",
                description: "Look a term up.",
                inputSchema: { json: lookupTool.function.parameters },
              },
            },
          ],
        },
      });
    });

    it("sends an image part", async () => {
      await stack.grpc.create({
        model: NOVA,
        messages: [
          {
            role: "user",
            content_parts: [
              { type: "text", text: "What is it?" },
              { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
            ],
          },
        ],
      });
      expect((stack.bedrock.last().body.messages as { content: unknown[] }[])[0]?.content[1]).toEqual({
        image: { format: "png", source: { bytes: PNG_BASE64 } },
      });
    });
  });
});
