import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { estimateInputTokens } from "../../src/dialects/anthropic-messages/estimate-input-tokens.js";
import { type BedrockStack, rejection, startBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";

const NOVA = "amazon.nova-lite-v1:0";

const weatherTool: Anthropic.Tool = {
  name: "get_weather",
  description: "Get the weather for a city.",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

const openaiUpstream = new FakeOpenAI();
const stack = {} as BedrockStack;
beforeAll(async () => {
  await openaiUpstream.start();
  Object.assign(stack, await startBedrockStack({ openaiBaseURL: openaiUpstream.baseURL }));
});
afterAll(async () => {
  await stack.close?.();
  await openaiUpstream.close();
});
beforeEach(() => {
  openaiUpstream.reset();
  stack.bedrock.reset();
});

describe("/v1/messages for models that do not take Anthropic's body", () => {
  const client = () => new Anthropic({ apiKey: stack.gateway.key, baseURL: stack.gateway.url, maxRetries: 0 });

  describe("an OpenAI model", () => {
    it("answers in Anthropic's shape what OpenAI answered to the Chat Completions request", async () => {
      const answer = await client().messages.create({
        model: "gpt-4o-mini",
        max_tokens: 100,
        system: "Be brief.",
        messages: [{ role: "user", content: "hello there" }],
      });
      expect(answer).toMatchObject({
        type: "message",
        role: "assistant",
        content: [{ type: "text", text: "You said: hello there" }],
        stop_reason: "end_turn",
        usage: { output_tokens: 4 },
      });
      const sent = await openaiUpstream.nextChatRequest();
      expect(sent.body).toMatchObject({
        model: "gpt-4o-mini",
        max_tokens: 100,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "hello there" },
        ],
      });
    });

    it("streams OpenAI's chunks as Anthropic's events", async () => {
      const stream = client().messages.stream({
        model: "gpt-4o-mini",
        max_tokens: 100,
        messages: [{ role: "user", content: "stream me" }],
      });
      const types: string[] = [];
      for await (const event of stream) types.push(event.type);
      const message = await stream.finalMessage();
      expect(types[0]).toBe("message_start");
      expect(types).toContain("content_block_delta");
      expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
      expect(message.content).toHaveLength(1);
      expect(message.content[0]).toMatchObject({ type: "text", text: "You said: stream me" });
      expect(message.usage.output_tokens).toBeGreaterThan(0);
    });

    it("turns tools into functions and tool_use blocks back, and sends tool results as tool messages", async () => {
      openaiUpstream.enqueue({
        kind: "reply",
        text: null,
        toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
        finishReason: "tool_calls",
      });
      const first = await client().messages.create({
        model: "gpt-4o-mini",
        max_tokens: 100,
        tools: [weatherTool],
        messages: [{ role: "user", content: "weather in Paris" }],
      });
      expect(first.stop_reason).toBe("tool_use");
      expect(first.content).toEqual([
        { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
      ]);
      const sentTools = (await openaiUpstream.nextChatRequest()).body?.tools;
      expect(sentTools).toEqual([
        {
          type: "function",
          function: { name: "get_weather", description: weatherTool.description, parameters: weatherTool.input_schema },
        },
      ]);

      const second = await client().messages.create({
        model: "gpt-4o-mini",
        max_tokens: 100,
        tools: [weatherTool],
        messages: [
          { role: "user", content: "weather in Paris" },
          { role: "assistant", content: first.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "18C" }] },
        ],
      });
      expect(second.content[0]?.type).toBe("text");
      const messages = (await openaiUpstream.nextChatRequest()).body?.messages as Record<string, unknown>[];
      expect(messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_1", content: "18C" });
    });

    it("streams a tool call as a tool_use block with input_json_delta", async () => {
      openaiUpstream.enqueue({
        kind: "reply",
        text: null,
        toolCalls: [{ id: "call_2", name: "get_weather", arguments: '{"city":"Rome"}' }],
        finishReason: "tool_calls",
      });
      const message = await client()
        .messages.stream({
          model: "gpt-4o-mini",
          max_tokens: 100,
          tools: [weatherTool],
          messages: [{ role: "user", content: "weather in Rome" }],
        })
        .finalMessage();
      expect(message.stop_reason).toBe("tool_use");
      expect(message.content).toEqual([
        { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Rome" } },
      ]);
    });

    it("reports OpenAI's failures as the SDK's error classes", async () => {
      openaiUpstream.enqueue({
        kind: "error",
        status: 429,
        body: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
      });
      const failure = await rejection(
        client().messages.create({ model: "gpt-4o-mini", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
      );
      expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    });

    it("ends a stream that fails midway with Anthropic's error event", async () => {
      openaiUpstream.enqueue({
        kind: "midstream-error",
        afterChunks: 2,
        error: { message: "The server had an error while processing your request.", type: "server_error" },
      });
      const failure = await rejection(
        client()
          .messages.stream({ model: "gpt-4o-mini", max_tokens: 50, messages: [{ role: "user", content: "a story" }] })
          .finalMessage(),
      );
      expect(failure).toBeInstanceOf(Anthropic.APIError);
      expect(String((failure as Error).message)).toMatch(/api_error/);
    });

    it("asks OpenAI for the reasoning effort Anthropic's thinking budget stands for", async () => {
      await client().messages.create({
        model: "gpt-4o-mini",
        max_tokens: 20000,
        thinking: { type: "enabled", budget_tokens: 16000 },
        messages: [{ role: "user", content: "think" }],
      });
      const sent = (await openaiUpstream.nextChatRequest()).body;
      expect(sent?.reasoning_effort).toBe("high");
      expect(sent).not.toHaveProperty("thinking");
    });

    it("aborts the OpenAI stream when the client leaves midway", async () => {
      openaiUpstream.enqueue({ kind: "reply", holdAfterChunks: 2 });
      const stream = client().messages.stream({
        model: "gpt-4o-mini",
        max_tokens: 50,
        messages: [{ role: "user", content: "a long story" }],
      });
      const ended = stream.done().catch((error: unknown) => error);
      await new Promise<void>((resolve) => stream.on("streamEvent", () => resolve()));
      stream.abort();
      expect(await ended).toBeInstanceOf(Anthropic.APIUserAbortError);
      const upstream = await openaiUpstream.nextChatRequest();
      expect(await upstream.whenSettled).toBe("aborted");
    });

    it("estimates count_tokens without asking OpenAI", async () => {
      const body = {
        model: "gpt-4o-mini",
        system: "Be brief.",
        messages: [{ role: "user" as const, content: "count these words please" }],
        tools: [weatherTool],
      };
      const counted = await client().messages.countTokens(body);
      expect(counted.input_tokens).toBe(estimateInputTokens(body));
      expect(openaiUpstream.requests).toHaveLength(0);
    });
  });

  describe("a Converse model", () => {
    it("answers through Converse in Anthropic's shape", async () => {
      const answer = await client().messages.create({
        model: NOVA,
        max_tokens: 100,
        system: "Be brief.",
        messages: [{ role: "user", content: "hello nova" }],
      });
      expect(answer.content).toEqual([{ type: "text", text: "You said: hello nova" }]);
      expect(answer.stop_reason).toBe("end_turn");
      const received = stack.bedrock.last();
      expect(received.operation).toBe("converse");
      expect(received.body).toMatchObject({
        system: [{ text: "Be brief." }],
        messages: [{ role: "user", content: [{ text: "hello nova" }] }],
        inferenceConfig: { maxTokens: 100 },
      });
    });

    it("streams through ConverseStream as Anthropic's events, tools included", async () => {
      stack.bedrock.enqueue({ kind: "reply", toolUses: [{ name: "get_weather", input: { city: "Oslo" } }] });
      const message = await client()
        .messages.stream({
          model: NOVA,
          max_tokens: 100,
          tools: [weatherTool],
          messages: [{ role: "user", content: "weather in Oslo" }],
        })
        .finalMessage();
      expect(stack.bedrock.last().operation).toBe("converse-stream");
      expect(message.stop_reason).toBe("tool_use");
      expect(message.content.at(-1)).toMatchObject({ type: "tool_use", name: "get_weather", input: { city: "Oslo" } });
      expect(stack.bedrock.last().body).toMatchObject({
        toolConfig: { tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: weatherTool.input_schema } } }] },
      });
    });

    it("turns thinking into Nova 2's reasoning, and refuses it for a model that cannot reason", async () => {
      const answer = await client().messages.create({
        model: "us.amazon.nova-2-lite-v1:0",
        max_tokens: 4000,
        thinking: { type: "enabled", budget_tokens: 2048 },
        messages: [{ role: "user", content: "think" }],
      });
      expect(answer.content.map((block) => block.type)).toContain("text");
      expect(stack.bedrock.last().body).toMatchObject({
        additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } },
      });
      const refused = await rejection(
        client().messages.create({
          model: NOVA,
          max_tokens: 4000,
          thinking: { type: "enabled", budget_tokens: 2048 },
          messages: [{ role: "user", content: "think" }],
        }),
      );
      expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
      expect(String((refused as Error).message)).toMatch(/reasoning_effort/);
    });

    it("estimates count_tokens: CountTokens does not count for this model", async () => {
      const body = { model: NOVA, messages: [{ role: "user" as const, content: "how many tokens" }] };
      const counted = await client().messages.countTokens(body);
      expect(counted.input_tokens).toBe(estimateInputTokens(body));
      expect(stack.bedrock.requests).toHaveLength(0);
    });
  });
});
