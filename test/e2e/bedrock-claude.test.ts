import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { FAKE_AWS_CREDENTIALS } from "../fakes/fake-bedrock.js";
import { BEDROCK_HTTP_CLIENTS, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import type { GrpcMessage } from "../helpers/grpc-client.js";
import { protoStruct } from "../helpers/proto-struct.js";

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==";
const PNG_SIZE = Buffer.from(PNG_BASE64, "base64").length;

// The same behaviour whichever exchange reaches Bedrock Runtime.
describe.each(BEDROCK_HTTP_CLIENTS)("Claude (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  const weatherTool: OpenAI.ChatCompletionTool = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the weather for a city.",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
        required: ["city"],
      },
    },
  };
  const forecast = { city: "Paris", unit: "celsius", days: [{ offset: 1, note: 'light "rain" \\ wind' }] };

  describe("Claude on Bedrock through the openai SDK", () => {
    it("answers a unary request, sent as the Anthropic Messages body on InvokeModel", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: CLAUDE,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "hello there" },
        ],
        temperature: 0.5,
        stop: ["\n\nUser:"],
      });
      expect(answer.object).toBe("chat.completion");
      expect(answer.id).toMatch(/^chatcmpl-/);
      expect(answer.model).toBe(CLAUDE);
      expect(answer.choices[0]?.message).toMatchObject({ role: "assistant", content: "You said: hello there" });
      expect(answer.choices[0]?.finish_reason).toBe("stop");
      expect(answer.usage?.completion_tokens).toBe(4);
      expect(answer.usage?.total_tokens).toBe((answer.usage?.prompt_tokens ?? 0) + 4);

      const received = stack.bedrock.last();
      expect(received.operation).toBe("invoke");
      expect(received.modelId).toBe(CLAUDE);
      expect(received.rawPath).toBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke");
      expect(received.auth).toBe("sigv4");
      expect(String(received.headers.authorization)).toContain(`Credential=${FAKE_AWS_CREDENTIALS.accessKeyId}/`);
      expect(received.body).toEqual({
        anthropic_version: "bedrock-2023-05-31",
        max_tokens: 4096,
        system: "Be brief.",
        messages: [{ role: "user", content: [{ type: "text", text: "hello there" }] }],
        temperature: 0.5,
        stop_sequences: ["\n\nUser:"],
      });
    });

    it("streams on InvokeModelWithResponseStream: role first, text deltas, finish, usage when asked", async () => {
      const stream = await stack.openai.chat.completions.create({
        model: CLAUDE,
        messages: [{ role: "user", content: "stream me please" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("You said: stream me please");
      expect(chunks.at(-2)?.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]);
      expect(chunks.at(-1)?.choices).toEqual([]);
      expect(chunks.at(-1)?.usage?.completion_tokens).toBe(5);
      expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
      expect(stack.bedrock.last().operation).toBe("invoke-with-response-stream");
      expect(stack.bedrock.last().headers["x-amzn-bedrock-accept"]).toBe("application/json");
    });

    it("leaves usage out of the stream unless asked", async () => {
      const stream = await stack.openai.chat.completions.create({
        model: CLAUDE,
        messages: [{ role: "user", content: "no usage" }],
        stream: true,
      });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.some((chunk) => chunk.usage)).toBe(false);
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    });

    it("streams a tool call that the SDK reassembles into valid JSON", async () => {
      stack.bedrock.enqueue({
        kind: "reply",
        text: "Let me check.",
        toolUses: [{ name: "get_weather", input: forecast }],
      });
      const final = await stack.openai.chat.completions
        .stream({
          model: CLAUDE,
          messages: [{ role: "user", content: "Weather in Paris?" }],
          tools: [weatherTool],
          tool_choice: "required",
        })
        .finalChatCompletion();
      const choice = final.choices[0];
      expect(choice?.finish_reason).toBe("tool_calls");
      expect(choice?.message.content).toBe("Let me check.");
      const call = choice?.message.tool_calls?.[0];
      expect(call?.type).toBe("function");
      expect(call?.id).toMatch(/^toolu_bdrk_/);
      if (call?.type !== "function") throw new Error("not a function call");
      expect(call.function.name).toBe("get_weather");
      expect(JSON.parse(call.function.arguments)).toEqual(forecast);

      const body = stack.bedrock.last().body;
      expect(body.tool_choice).toEqual({ type: "any" });
      expect(body.tools).toEqual([
        {
          name: "get_weather",
          description: "Get the weather for a city.",
          input_schema: weatherTool.function.parameters,
        },
      ]);
    });

    it("answers parallel tool calls in a unary request", async () => {
      stack.bedrock.enqueue({
        kind: "reply",
        toolUses: [
          { name: "get_weather", input: { city: "Paris" } },
          { name: "get_weather", input: { city: "Rome" } },
        ],
      });
      const answer = await stack.openai.chat.completions.create({
        model: CLAUDE,
        messages: [{ role: "user", content: "Paris and Rome?" }],
        tools: [weatherTool],
      });
      const message = answer.choices[0]?.message;
      expect(message?.content).toBeNull();
      expect(answer.choices[0]?.finish_reason).toBe("tool_calls");
      expect(
        message?.tool_calls?.map((call) => (call.type === "function" ? JSON.parse(call.function.arguments) : null)),
      ).toEqual([{ city: "Paris" }, { city: "Rome" }]);
    });

    it("carries a multi-turn tool conversation: tool_use and merged tool_result turns", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: CLAUDE,
        messages: [
          { role: "system", content: "Use the tools." },
          { role: "user", content: "Weather in Paris and Rome?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              { id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_a", content: "22C sunny" },
          { role: "tool", tool_call_id: "call_b", content: "25C clear" },
        ],
        tools: [weatherTool],
      });
      expect(answer.choices[0]?.message.content).toBe("The tool said: 22C sunny | 25C clear");
      expect(stack.bedrock.last().body.messages).toEqual([
        { role: "user", content: [{ type: "text", text: "Weather in Paris and Rome?" }] },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "call_a", name: "get_weather", input: { city: "Paris" } },
            { type: "tool_use", id: "call_b", name: "get_weather", input: { city: "Rome" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_a", content: [{ type: "text", text: "22C sunny" }] },
            { type: "tool_result", tool_use_id: "call_b", content: [{ type: "text", text: "25C clear" }] },
          ],
        },
      ]);
    });

    it("sends tool_choice none with a tool history as tools without a tool_choice (Bedrock has no none)", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: CLAUDE,
        messages: [
          { role: "user", content: "Weather in Paris?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_a", content: "22C sunny" },
          { role: "user", content: "Now just summarise." },
        ],
        tools: [weatherTool],
        tool_choice: "none",
      });
      expect(answer.choices[0]?.message.content).toBe("You said: Now just summarise.");
      const body = stack.bedrock.last().body;
      expect(body.tools).toEqual([
        {
          name: "get_weather",
          description: "Get the weather for a city.",
          input_schema: weatherTool.function.parameters,
        },
      ]);
      expect(body).not.toHaveProperty("tool_choice");
    });

    it("sends a data-URL image as a base64 image block", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: CLAUDE,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}`, detail: "high" } },
            ],
          },
        ],
      });
      expect(answer.choices[0]?.message.content).toBe(`You said: What is this? [image: image/png, ${PNG_SIZE} bytes]`);
      const [message] = stack.bedrock.last().body.messages as { content: unknown[] }[];
      expect(message?.content[1]).toEqual({
        type: "image",
        source: { type: "base64", media_type: "image/png", data: PNG_BASE64 },
      });
    });

    it("routes inference profiles, ARNs and the bedrock/ prefix to the Claude body", async () => {
      const arn = "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0";
      for (const [model, path] of [
        ["us.anthropic.claude-sonnet-4-20250514-v1:0", "/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/invoke"],
        ["bedrock/anthropic.claude-3-haiku-20240307-v1:0", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke"],
        [
          arn,
          "/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1%3A0/invoke",
        ],
      ] as const) {
        const answer = await stack.openai.chat.completions.create({
          model,
          messages: [{ role: "user", content: "hi" }],
        });
        expect(answer.model).toBe(model.replace(/^bedrock\//, ""));
        expect(stack.bedrock.last().rawPath).toBe(path);
        expect(stack.bedrock.last().body.anthropic_version).toBe("bedrock-2023-05-31");
      }
    });
  });

  describe("Claude on Bedrock through gRPC", () => {
    const hello = { model: CLAUDE, messages: [{ role: "user", content: "hi from grpc" }] };

    it("answers a unary call", async () => {
      const answer = await stack.grpc.create({ ...hello, max_tokens: 64 });
      expect(answer.choices[0].message.content).toBe("You said: hi from grpc");
      expect(answer.choices[0].finish_reason).toBe("stop");
      expect(answer.model).toBe(CLAUDE);
      expect(Number(answer.usage.total_tokens)).toBeGreaterThan(0);
      expect(stack.bedrock.last().body.max_tokens).toBe(64);
    });

    it("streams chunks: role first, text, finish, then usage when asked", async () => {
      const chunks = await stack.grpc.collect({ ...hello, stream_options: { include_usage: true } });
      expect(chunks[0]?.choices[0].delta.role).toBe("assistant");
      expect(chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? "").join("")).toBe("You said: hi from grpc");
      expect(chunks.at(-2)?.choices[0].finish_reason).toBe("stop");
      expect(chunks.at(-1)?.choices ?? []).toEqual([]);
      expect(chunks.at(-1)?.usage.completion_tokens).toBe(5);
    });

    const grpcWeatherTool = {
      type: "function",
      function: {
        name: "get_weather",
        description: "Get the weather for a city.",
        parameters: protoStruct(weatherTool.function.parameters ?? {}),
      },
    };

    it("streams a tool call whose fragments join into the arguments", async () => {
      stack.bedrock.enqueue({ kind: "reply", toolUses: [{ name: "get_weather", input: forecast }] });
      const chunks = await stack.grpc.collect({ ...hello, tools: [grpcWeatherTool] });
      expect(stack.bedrock.last().body.tools).toEqual([
        {
          name: "get_weather",
          description: "Get the weather for a city.",
          input_schema: weatherTool.function.parameters,
        },
      ]);
      const deltas = chunks.flatMap((chunk: GrpcMessage) => chunk.choices?.[0]?.delta?.tool_calls ?? []);
      // proto3 leaves a 0 index off the wire; grpc-js then reads it as absent.
      expect(deltas.every((delta: GrpcMessage) => (delta.index ?? 0) === 0)).toBe(true);
      expect(deltas[0]).toMatchObject({ type: "function", function: { name: "get_weather", arguments: "" } });
      expect(deltas[0].id).toMatch(/^toolu_bdrk_/);
      expect(deltas.slice(1).every((delta: GrpcMessage) => delta.id === undefined)).toBe(true);
      expect(JSON.parse(deltas.map((delta: GrpcMessage) => delta.function?.arguments ?? "").join(""))).toEqual(
        forecast,
      );
      expect(chunks.at(-1)?.choices[0].finish_reason).toBe("tool_calls");
    });

    it("carries a multi-turn tool conversation: the tool_calls and tool_call_ids become tool_use and tool_result blocks", async () => {
      const answer = await stack.grpc.create({
        model: CLAUDE,
        messages: [
          { role: "system", content: "Use the tools." },
          { role: "user", content: "Weather in Paris and Rome?" },
          {
            role: "assistant",
            content: "Checking both.",
            tool_calls: [
              {
                id: "toolu_bdrk_a",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Paris"}' },
              },
              {
                id: "toolu_bdrk_b",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Rome","unit":"celsius"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "toolu_bdrk_a", content: "22C sunny" },
          { role: "tool", tool_call_id: "toolu_bdrk_b", content: "25C clear" },
        ],
        tools: [grpcWeatherTool],
        tool_choice: { type: "auto" },
      });
      expect(answer.choices[0].message.content).toBe("The tool said: 22C sunny | 25C clear");
      expect(answer.choices[0].finish_reason).toBe("stop");
      expect(stack.bedrock.last().body).toEqual({
        anthropic_version: "bedrock-2023-05-31",
        max_tokens: 4096,
        system: "Use the tools.",
        messages: [
          { role: "user", content: [{ type: "text", text: "Weather in Paris and Rome?" }] },
          {
            role: "assistant",
            content: [
              { type: "text", text: "Checking both." },
              { type: "tool_use", id: "toolu_bdrk_a", name: "get_weather", input: { city: "Paris" } },
              { type: "tool_use", id: "toolu_bdrk_b", name: "get_weather", input: { city: "Rome", unit: "celsius" } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_bdrk_a", content: [{ type: "text", text: "22C sunny" }] },
              { type: "tool_result", tool_use_id: "toolu_bdrk_b", content: [{ type: "text", text: "25C clear" }] },
            ],
          },
        ],
        tools: [
          {
            name: "get_weather",
            description: "Get the weather for a city.",
            input_schema: weatherTool.function.parameters,
          },
        ],
        tool_choice: { type: "auto" },
      });
    });

    it("sends an image part", async () => {
      const answer = await stack.grpc.create({
        model: CLAUDE,
        messages: [
          {
            role: "user",
            content: "Look:",
            content_parts: [{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }],
          },
        ],
      });
      expect(answer.choices[0].message.content).toBe(`You said: Look: [image: image/png, ${PNG_SIZE} bytes]`);
    });
  });
});
