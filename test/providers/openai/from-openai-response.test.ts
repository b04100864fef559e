import type { ChatCompletion, ChatCompletionChunk as OpenAIChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { fromOpenAIChunk, fromOpenAIResponse } from "../../../src/providers/openai/from-openai-response.js";
import { sseJson, wireJson } from "../../helpers/wire-fixtures.js";

const chunksOf = (path: string) => sseJson(path) as unknown as OpenAIChunk[];

describe("fromOpenAIResponse", () => {
  it("reads a text answer (chat_response_text.json)", () => {
    const response = fromOpenAIResponse(wireJson<ChatCompletion>("openai/chat_response_text.json"));
    expect(response.$typeName).toBe("openbedrock.v1.ChatCompletionResponse");
    expect(response.id).toBe("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    expect(response.created).toBe(1741569952n);
    expect(response.model).toBe("anthropic.claude-3-5-sonnet-20240620-v1:0");
    expect(response.choices).toHaveLength(1);
    const choice = response.choices[0];
    expect(choice?.index).toBe(0);
    expect(choice?.finishReason).toBe("stop");
    expect(choice?.message?.role).toBe("assistant");
    expect(choice?.message?.content).toBe("Tomorrow in Paris: 19 °C with light rain in the afternoon.");
    expect(choice?.message?.toolCalls).toEqual([]);
    expect(response.usage).toMatchObject({
      promptTokens: 412,
      completionTokens: 17,
      totalTokens: 429,
      promptTokensDetails: { cachedTokens: 0 },
    });
  });

  it("reads a tool-call answer (chat_response_tool_calls.json)", () => {
    const response = fromOpenAIResponse(wireJson<ChatCompletion>("openai/chat_response_tool_calls.json"));
    const choice = response.choices[0];
    expect(choice?.finishReason).toBe("tool_calls");
    expect(choice?.message?.content).toBeUndefined();
    expect(choice?.message?.toolCalls).toHaveLength(1);
    expect(choice?.message?.toolCalls[0]).toMatchObject({
      id: "call_9vKbT2mQ0sXh4LrP8aYc1NdE",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius","day_offset":1}' },
    });
    expect(response.usage).toMatchObject({ promptTokens: 402, completionTokens: 58, totalTokens: 460 });
    expect(response.usage?.promptTokensDetails).toBeUndefined();
  });

  it("reads the cached prompt tokens of the full usage object (usage_object.json)", () => {
    const usage = wireJson<{ full: ChatCompletion["usage"] }>("openai/usage_object.json").full;
    const base = wireJson<ChatCompletion>("openai/chat_response_text.json");
    const response = fromOpenAIResponse({ ...base, usage });
    expect(response.usage?.promptTokens).toBe(1200);
    expect(response.usage?.promptTokensDetails?.cachedTokens).toBe(1024);
  });

  it("answers no usage when OpenAI sent none, and an empty finish reason for null", () => {
    const base = wireJson<ChatCompletion>("openai/chat_response_text.json");
    const { usage: _usage, ...withoutUsage } = base;
    const choice = base.choices[0] as ChatCompletion.Choice;
    const response = fromOpenAIResponse({
      ...withoutUsage,
      choices: [{ ...choice, finish_reason: null as unknown as ChatCompletion.Choice["finish_reason"] }],
    });
    expect(response.usage).toBeUndefined();
    expect(response.choices[0]?.finishReason).toBe("");
  });

  it("keeps tool calls of other types, their fields in extensions", () => {
    const base = wireJson<ChatCompletion>("openai/chat_response_tool_calls.json");
    const choice = base.choices[0] as ChatCompletion.Choice;
    const custom = { id: "call_custom", type: "custom", custom: { name: "grammar", input: "x" } } as const;
    const response = fromOpenAIResponse({
      ...base,
      choices: [
        { ...choice, message: { ...choice.message, tool_calls: [custom, ...(choice.message.tool_calls ?? [])] } },
      ],
    });
    const calls = response.choices[0]?.message?.toolCalls ?? [];
    expect(calls.map((call) => call.id)).toEqual(["call_custom", "call_9vKbT2mQ0sXh4LrP8aYc1NdE"]);
    expect(calls[0]?.type).toBe("custom");
    expect(calls[0]?.function).toBeUndefined();
    expect(calls[0]?.extensions).toStrictEqual({ custom: custom.custom });
  });
});

describe("fromOpenAIChunk", () => {
  it("reads a text stream with usage (stream_text_include_usage.sse)", () => {
    const chunks = chunksOf("openai/stream_text_include_usage.sse").map(fromOpenAIChunk);
    expect(chunks).toHaveLength(8);
    for (const chunk of chunks) {
      expect(chunk.$typeName).toBe("openbedrock.v1.ChatCompletionChunk");
      expect(chunk.id).toBe("chatcmpl-AQv3kX2bT9mYcLr0ZpN1sQw8Hd4Jf");
      expect(chunk.created).toBe(1731679200n);
      expect(chunk.model).toBe("anthropic.claude-3-5-sonnet-20240620-v1:0");
    }
    const first = chunks[0]?.choices[0];
    expect(first?.delta?.role).toBe("assistant");
    expect(first?.delta?.content).toBe("");
    expect(first?.finishReason).toBeUndefined();
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    expect(text).toBe("Tomorrow in Paris: 19 °C with light rain in the afternoon.");
    expect(chunks.slice(1, 6).every((chunk) => chunk.choices[0]?.delta?.role === undefined)).toBe(true);
    const finish = chunks[6]?.choices[0];
    expect(finish?.finishReason).toBe("stop");
    expect(finish?.delta?.content).toBeUndefined();
    expect(chunks.slice(0, 7).every((chunk) => chunk.usage === undefined)).toBe(true);
    const last = chunks[7];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({
      promptTokens: 412,
      completionTokens: 17,
      totalTokens: 429,
      promptTokensDetails: { cachedTokens: 0 },
    });
  });

  it("reads tool-call fragments (stream_tool_call_include_usage.sse)", () => {
    const chunks = chunksOf("openai/stream_tool_call_include_usage.sse").map(fromOpenAIChunk);
    const first = chunks[0]?.choices[0]?.delta;
    expect(first?.role).toBe("assistant");
    // OpenAI's `content: null` is no content.
    expect(first?.content).toBeUndefined();
    expect(first?.toolCalls[0]).toMatchObject({
      index: 0,
      id: "call_9vKbT2mQ0sXh4LrP8aYc1NdE",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    const later = chunks.slice(1, -2).map((chunk) => chunk.choices[0]?.delta?.toolCalls[0]);
    for (const fragment of later) {
      expect(fragment?.index).toBe(0);
      expect(fragment?.id).toBeUndefined();
      expect(fragment?.type).toBeUndefined();
      expect(fragment?.function?.name).toBeUndefined();
    }
    const args = chunks.flatMap(
      (chunk) => chunk.choices[0]?.delta?.toolCalls.map((call) => call.function?.arguments) ?? [],
    );
    expect(args.join("")).toBe('{"city":"Paris","unit":"celsius","day_offset":1}');
    expect(chunks.at(-2)?.choices[0]?.finishReason).toBe("tool_calls");
    expect(chunks.at(-1)?.usage).toMatchObject({ promptTokens: 402, completionTokens: 58, totalTokens: 460 });
    expect(chunks.at(-1)?.usage?.promptTokensDetails).toBeUndefined();
  });

  it("reads text then two parallel calls (stream_text_then_parallel_tool_calls.sse)", () => {
    const chunks = chunksOf("openai/stream_text_then_parallel_tool_calls.sse").map(fromOpenAIChunk);
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
    expect(chunks[1]?.choices[0]?.delta?.content).toBe("Let me check both cities.");
    const calls = new Map<number, { id?: string; name?: string; args: string }>();
    for (const chunk of chunks) {
      for (const call of chunk.choices[0]?.delta?.toolCalls ?? []) {
        const entry = calls.get(call.index) ?? { args: "" };
        if (call.id !== undefined) entry.id = call.id;
        if (call.function?.name !== undefined) entry.name = call.function.name;
        entry.args += call.function?.arguments ?? "";
        calls.set(call.index, entry);
      }
    }
    expect([...calls.entries()]).toEqual([
      [0, { id: "call_A1b2C3d4E5f6G7h8I9j0K1l2", name: "get_weather", args: '{"city":"Paris"}' }],
      [1, { id: "call_Z9y8X7w6V5u4T3s2R1q0P9o8", name: "get_weather", args: '{"city":"Rome"}' }],
    ]);
    expect(chunks.at(-1)?.choices[0]?.finishReason).toBe("tool_calls");
  });

  it("reads the chunks before a failure (stream_error_midstream.sse)", () => {
    const events = chunksOf("openai/stream_error_midstream.sse");
    const chunks = events.slice(0, 2).map(fromOpenAIChunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content)).toEqual(["", "Tomorrow in"]);
    expect(events[2]).toHaveProperty("error");
  });
});
