import { create } from "@bufbuild/protobuf";
import type { ChatCompletion, ChatCompletionChunk as OpenAIChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import {
  ChatCompletionChunkSchema,
  ChatCompletionResponseSchema,
  ListModelsResponseSchema,
  UsageSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import {
  chatCompletionChunkJson,
  chatCompletionJson,
  modelListJson,
  usageJson,
} from "../../../src/dialects/openai-chat/to-openai-json.js";
import { fromOpenAIChunk, fromOpenAIResponse } from "../../../src/providers/openai/from-openai-response.js";
import { sseJson, wireJson } from "../../helpers/wire-fixtures.js";

type Json = Record<string, unknown>;

describe("chatCompletionJson", () => {
  it("answers the text example exactly as OpenAI (chat_response_text.json)", () => {
    const recorded = wireJson<Json>("openai/chat_response_text.json");
    const json = chatCompletionJson(fromOpenAIResponse(recorded as unknown as ChatCompletion));
    // Every field, those the canonical model does not map included (system_fingerprint, annotations ...).
    expect(json).toStrictEqual(recorded);
  });

  it("answers the tool-call example exactly as OpenAI (chat_response_tool_calls.json)", () => {
    const recorded = wireJson<Json>("openai/chat_response_tool_calls.json");
    expect(chatCompletionJson(fromOpenAIResponse(recorded as unknown as ChatCompletion))).toStrictEqual(recorded);
  });

  it("fills OpenAI's required fields for an answer that lacks them", () => {
    const json = chatCompletionJson(
      create(ChatCompletionResponseSchema, { id: "chatcmpl-1", created: 7n, model: "m", choices: [{ index: 0 }] }),
    );
    expect(json).toStrictEqual({
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 7,
      model: "m",
      choices: [
        { index: 0, message: { role: "assistant", content: null, refusal: null }, logprobs: null, finish_reason: null },
      ],
    });
  });
});

describe("chatCompletionChunkJson", () => {
  it.each([
    ["stream_text_include_usage.sse", true],
    ["stream_tool_call_include_usage.sse", true],
    ["stream_text_then_parallel_tool_calls.sse", false],
  ])("gives back every chunk of %s as OpenAI sent it (include_usage %s)", (file, includeUsage) => {
    const recorded = sseJson(`openai/${file}`);
    const encoded = recorded.map((chunk) =>
      chatCompletionChunkJson(fromOpenAIChunk(chunk as unknown as OpenAIChunk), includeUsage),
    );
    expect(encoded).toStrictEqual(recorded);
  });

  it('puts "usage": null on every chunk but the last only when include_usage is on', () => {
    const chunks = sseJson("openai/stream_text_include_usage.sse").map((chunk) =>
      fromOpenAIChunk(chunk as unknown as OpenAIChunk),
    );
    const withUsage = chunks.map((chunk) => chatCompletionChunkJson(chunk, true));
    expect(withUsage.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(withUsage.at(-1)?.usage).toMatchObject({ prompt_tokens: 412, completion_tokens: 17, total_tokens: 429 });
    const without = chunks.map((chunk) => chatCompletionChunkJson(chunk, false));
    expect(without.every((chunk) => !("usage" in chunk))).toBe(true);
  });

  it("sends logprobs: null and finish_reason: null while streaming, and the reason at the end", () => {
    const base = { id: "chatcmpl-1", created: 1n, model: "m" };
    const streaming = chatCompletionChunkJson(
      create(ChatCompletionChunkSchema, { ...base, choices: [{ index: 0, delta: { content: "Hi" } }] }),
      false,
    );
    expect(streaming).toStrictEqual({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { content: "Hi" }, logprobs: null, finish_reason: null }],
    });
    const finished = chatCompletionChunkJson(
      create(ChatCompletionChunkSchema, { ...base, choices: [{ index: 0, delta: {}, finishReason: "length" }] }),
      true,
    );
    expect(finished.choices[0]).toStrictEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "length" });
    expect(finished.usage).toBeNull();
  });

  it("sends a tool-call fragment with only the fields it has", () => {
    const chunk = create(ChatCompletionChunkSchema, {
      id: "c",
      created: 1n,
      model: "m",
      choices: [{ index: 0, delta: { toolCalls: [{ index: 1, function: { arguments: '{"a":' } }] } }],
    });
    expect(chatCompletionChunkJson(chunk, false).choices[0]?.delta).toStrictEqual({
      tool_calls: [{ index: 1, function: { arguments: '{"a":' } }],
    });
  });
});

describe("reasoning in OpenAI's shape", () => {
  it("writes an answer's reasoning_content and thinking_blocks, and a delta's, beside the content", () => {
    const json = chatCompletionJson(
      create(ChatCompletionResponseSchema, {
        id: "chatcmpl-1",
        created: 1n,
        model: "m",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: "Hi",
              reasoningContent: "hm",
              thinkingBlocks: [
                { type: "thinking", thinking: "hm", signature: "s" },
                { type: "redacted_thinking", data: "d" },
              ],
            },
            finishReason: "stop",
          },
        ],
      }),
    );
    expect(json.choices[0]?.message).toEqual({
      role: "assistant",
      content: "Hi",
      refusal: null,
      reasoning_content: "hm",
      thinking_blocks: [
        { type: "thinking", thinking: "hm", signature: "s" },
        { type: "redacted_thinking", data: "d" },
      ],
    });
    const chunk = chatCompletionChunkJson(
      create(ChatCompletionChunkSchema, {
        id: "c",
        created: 1n,
        model: "m",
        choices: [{ index: 0, delta: { reasoningContent: "h" } }],
        extensions: { service_tier: "flex" },
      }),
      false,
    );
    expect(chunk).toMatchObject({ service_tier: "flex", choices: [{ delta: { reasoning_content: "h" } }] });
  });
});

describe("usageJson", () => {
  it("gives back every usage detail, and the cached prompt tokens only when known", () => {
    const usage = wireJson<{ minimal: Json; full: Json }>("openai/usage_object.json");
    const minimal = fromOpenAIResponse({
      ...wireJson<ChatCompletion>("openai/chat_response_tool_calls.json"),
      usage: usage.minimal as unknown as ChatCompletion["usage"],
    }).usage;
    const full = fromOpenAIResponse({
      ...wireJson<ChatCompletion>("openai/chat_response_tool_calls.json"),
      usage: usage.full as unknown as ChatCompletion["usage"],
    }).usage;
    if (!minimal || !full) throw new Error("usage missing");
    expect(usageJson(minimal)).toStrictEqual(usage.minimal);
    expect(usageJson(full)).toStrictEqual(usage.full);
  });

  it("sends Bedrock's cache writes as prompt_tokens_details.cache_write_tokens", () => {
    const usage = create(UsageSchema, {
      promptTokens: 1500,
      completionTokens: 9,
      totalTokens: 1509,
      promptTokensDetails: { cachedTokens: 0, cacheWriteTokens: 1400 },
    });
    expect(usageJson(usage)).toStrictEqual({
      prompt_tokens: 1500,
      completion_tokens: 9,
      total_tokens: 1509,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 1400 },
    });
  });
});

describe("modelListJson", () => {
  it("answers OpenAI's list shape (models_list.json)", () => {
    const recorded = wireJson<{ data: { id: string; created: number; owned_by: string }[] }>("openai/models_list.json");
    const list = create(ListModelsResponseSchema, {
      data: recorded.data.map((model) => ({ id: model.id, created: BigInt(model.created), ownedBy: model.owned_by })),
    });
    expect(modelListJson(list)).toStrictEqual(recorded);
  });
});
