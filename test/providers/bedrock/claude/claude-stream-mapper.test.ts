import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { RateLimitError, ServiceUnavailableError, UpstreamError } from "../../../../src/core/errors.js";
import { toAnswerChunks } from "../../../../src/providers/bedrock/answer-chunks.js";
import { ClaudeStreamMapper } from "../../../../src/providers/bedrock/claude/claude-stream-mapper.js";
import { asStream, collect, invokeStreamEvents } from "../wire-fixtures.js";

const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

function chunksOf(events: unknown[]): Promise<ChatCompletionChunk[]> {
  return collect(toAnswerChunks(asStream(events), new ClaudeStreamMapper(), MODEL));
}

const deltas = (chunks: ChatCompletionChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta);

describe("Claude stream events to chunks", () => {
  it("maps the recorded text stream: role, text deltas, finish, usage", async () => {
    const chunks = await chunksOf(invokeStreamEvents("bedrock/claude_stream_text.eventstream.b64"));
    expect(deltas(chunks).map((delta) => delta?.content ?? null)).toEqual([
      "",
      "Tomorrow in Paris:",
      " 19 °C with light rain",
      " in the afternoon.",
      null,
      null,
    ]);
    expect(chunks[0]?.choices[0]?.delta?.role).toBe("assistant");
    expect(chunks.at(-2)?.choices[0]?.finishReason).toBe("stop");
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ promptTokens: 412, completionTokens: 17, totalTokens: 429 });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.model === MODEL)).toBe(true);
  });

  it("maps the recorded tool-use stream: the call's index counts calls, not content blocks", async () => {
    const chunks = await chunksOf(invokeStreamEvents("bedrock/claude_stream_tool_use.eventstream.b64"));
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta?.toolCalls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      id: "toolu_bdrk_018QcdZZxZqKuheNsHQpbUjG",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    // The first input_json_delta is "" and is skipped.
    expect(calls.slice(1).map((call) => [call.index, call.id, call.function?.arguments])).toEqual([
      [0, undefined, '{"city": "Pa'],
      [0, undefined, 'ris", "unit": "celsius"'],
      [0, undefined, ', "day_offset": 1}'],
    ]);
    expect(JSON.parse(calls.map((call) => call.function?.arguments ?? "").join(""))).toEqual({
      city: "Paris",
      unit: "celsius",
      day_offset: 1,
    });
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    expect(text).toBe("I'll look up tomorrow's forecast for Paris.");
    expect(chunks.at(-2)?.choices[0]?.finishReason).toBe("tool_calls");
    expect(chunks.at(-1)?.usage).toMatchObject({ promptTokens: 402, completionTokens: 58 });
  });

  it("numbers parallel calls 0, 1 after a text block", async () => {
    const events = [
      { type: "message_start", message: { content: [], usage: { input_tokens: 3, output_tokens: 1 } } },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Two lookups." } },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "a", name: "f", input: {} } },
      { type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "b", name: "g", input: {} } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "{}" } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"x":1}' } },
      { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 9 } },
      { type: "message_stop" },
    ];
    const calls = (await chunksOf(events)).flatMap((chunk) => chunk.choices[0]?.delta?.toolCalls ?? []);
    expect(calls.map((call) => [call.index, call.id ?? null, call.function?.arguments])).toEqual([
      [0, "a", ""],
      [1, "b", ""],
      [1, null, "{}"],
      [0, null, '{"x":1}'],
    ]);
  });

  it("ignores pings, and ends with the error an error event names", async () => {
    const start = { type: "message_start", message: { content: [], usage: { input_tokens: 3, output_tokens: 1 } } };
    const overloaded = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
    const chunks: ChatCompletionChunk[] = [];
    const stream = toAnswerChunks(asStream([start, { type: "ping" }, overloaded]), new ClaudeStreamMapper(), MODEL);
    await expect(async () => {
      for await (const chunk of stream) chunks.push(chunk);
    }).rejects.toThrow(ServiceUnavailableError);
    expect(chunks).toHaveLength(0);
    const limited = { type: "error", error: { type: "rate_limit_error", message: "slow" } };
    await expect(chunksOf([start, limited])).rejects.toThrow(RateLimitError);
  });

  it("fails a stream that ends before its stop reason", async () => {
    const cut = invokeStreamEvents("bedrock/claude_stream_text.eventstream.b64").slice(0, 4);
    await expect(chunksOf(cut)).rejects.toThrow(UpstreamError);
  });

  it("streams thinking deltas as reasoning and the block, signed, once it stops; a redacted block whole", async () => {
    const start = { type: "message_start", message: { content: [], usage: { input_tokens: 3, output_tokens: 1 } } };
    const chunks = await chunksOf([
      start,
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hm" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "m" } },
      { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig" } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "redacted_thinking", data: "enc" } },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_start", index: 2, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 2, delta: { type: "text_delta", text: "Hi" } },
      { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 5 } },
      { type: "message_stop", "amazon-bedrock-guardrailAction": "NONE" },
    ]);
    const all = deltas(chunks);
    expect(all.map((delta) => delta?.reasoningContent ?? "").join("")).toBe("hmm");
    const blocks = all.flatMap((delta) => delta?.thinkingBlocks ?? []);
    expect(blocks.map(({ type, thinking, signature, data }) => ({ type, thinking, signature, data }))).toEqual([
      { type: "thinking", thinking: "hmm", signature: "sig", data: "" },
      { type: "redacted_thinking", thinking: "", signature: "", data: "enc" },
    ]);
    expect(all.map((delta) => delta?.content ?? "").join("")).toBe("Hi");
    expect(chunks.find((chunk) => chunk.choices[0]?.finishReason)?.choices[0]?.finishReason).toBe("stop");
  });

  it("ends as content_filter when Bedrock's guardrail intervened, with its trace", async () => {
    const chunks = await chunksOf([
      { type: "message_start", message: { content: [], usage: { input_tokens: 3, output_tokens: 1 } } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Sorry." } },
      { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 2 } },
      {
        type: "message_stop",
        "amazon-bedrock-guardrailAction": "INTERVENED",
        "amazon-bedrock-trace": { guardrail: { x: 1 } },
      },
    ]);
    const finish = chunks.find((chunk) => chunk.choices[0]?.finishReason);
    expect(finish?.choices[0]?.finishReason).toBe("content_filter");
    expect(finish?.extensions).toEqual({ guardrail_trace: { x: 1 } });
  });
});
