import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type ChatCompletionChunk, ChatCompletionChunkSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { claudeMessageId } from "../../../src/formats/claude/to-claude-response.js";
import { ClaudeStreamEvents } from "../../../src/formats/claude/to-claude-stream-events.js";
import { fromOpenAIChunk } from "../../../src/providers/openai/from-openai-response.js";
import type { AnthropicStreamEvent } from "../../../src/wire/anthropic-messages.js";
import { sseJson } from "../../helpers/wire-fixtures.js";
import { invokeStreamEvents } from "../../providers/bedrock/wire-fixtures.js";
import { providerReadsClaudeStream } from "../provider-bodies.js";

function eventsOf(chunks: ChatCompletionChunk[]): AnthropicStreamEvent[] {
  const writer = new ClaudeStreamEvents();
  return [...chunks.flatMap((chunk) => writer.chunk(chunk)), ...writer.end()];
}

/** What a Claude stream says, without what only the upstream knows: ids, timings, usage placement. */
function meaning(events: AnthropicStreamEvent[]): unknown[] {
  return events.flatMap((event): unknown[] => {
    switch (event.type) {
      case "message_start":
        return [{ type: event.type, role: event.message.role, content: event.message.content }];
      case "content_block_delta":
        // Claude's first input_json_delta is often empty; readers skip it.
        return event.delta.type === "input_json_delta" && event.delta.partial_json === "" ? [] : [event];
      case "message_delta":
        return [{ type: event.type, delta: event.delta, output_tokens: event.usage.output_tokens }];
      case "message_stop":
        return [{ type: event.type }];
      default:
        return [event];
    }
  });
}

const openAIChunks = (path: string) => sseJson(path).map((chunk) => fromOpenAIChunk(chunk as never));

const summary = (chunks: ChatCompletionChunk[]) => {
  const calls = new Map<number, { id?: string; name?: string; args: string }>();
  for (const chunk of chunks) {
    for (const call of chunk.choices[0]?.delta?.toolCalls ?? []) {
      const seen = calls.get(call.index) ?? { args: "" };
      calls.set(call.index, {
        id: seen.id ?? call.id,
        name: seen.name ?? call.function?.name,
        args: seen.args + (call.function?.arguments ?? ""),
      });
    }
  }
  return {
    text: chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join(""),
    calls: [...calls.values()],
    finish: chunks.map((chunk) => chunk.choices[0]?.finishReason).filter(Boolean),
  };
};

describe("ClaudeStreamEvents", () => {
  it.each(["claude_stream_text", "claude_stream_tool_use"])(
    "gives back the recorded %s events after the Claude provider read them",
    async (name) => {
      const recorded = invokeStreamEvents(`bedrock/${name}.eventstream.b64`) as AnthropicStreamEvent[];
      const chunks = await providerReadsClaudeStream(recorded);
      const events = eventsOf(chunks);
      expect(meaning(events)).toEqual(meaning(recorded));
      const start = events[0];
      expect(start?.type === "message_start" && start.message.id).toBe(claudeMessageId(chunks[0]?.id ?? ""));
      // Usage comes last in the canonical stream, so message_delta carries the input count too.
      const recordedStart = recorded[0];
      const delta = events.find((event) => event.type === "message_delta");
      expect(delta?.type === "message_delta" && delta.usage.input_tokens).toBe(
        recordedStart?.type === "message_start" && recordedStart.message.usage.input_tokens,
      );
    },
  );

  it("turns OpenAI's recorded text and parallel tool calls into one block each, in order", () => {
    const events = eventsOf(openAIChunks("openai/stream_text_then_parallel_tool_calls.sse"));
    const starts = events.filter((event) => event.type === "content_block_start");
    expect(starts.map((event) => [event.index, event.content_block])).toEqual([
      [0, { type: "text", text: "" }],
      [1, { type: "tool_use", id: "call_A1b2C3d4E5f6G7h8I9j0K1l2", name: "get_weather", input: {} }],
      [2, { type: "tool_use", id: "call_Z9y8X7w6V5u4T3s2R1q0P9o8", name: "get_weather", input: {} }],
    ]);
    // Each block is stopped before the next starts, as Claude does.
    const order = events
      .filter((event) => event.type === "content_block_start" || event.type === "content_block_stop")
      .map((event) => `${event.type === "content_block_start" ? "start" : "stop"} ${event.index}`);
    expect(order).toEqual(["start 0", "stop 0", "start 1", "stop 1", "start 2", "stop 2"]);
    const json = (index: number) =>
      events
        .map((event) =>
          event.type === "content_block_delta" && event.index === index && event.delta.type === "input_json_delta"
            ? event.delta.partial_json
            : "",
        )
        .join("");
    expect([JSON.parse(json(1)), JSON.parse(json(2))]).toEqual([{ city: "Paris" }, { city: "Rome" }]);
    expect(events.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" } });
    expect(events.at(-1)).toEqual({ type: "message_stop" });
  });

  it("is read back by the Claude provider as the same answer", async () => {
    for (const path of [
      "openai/stream_text_then_parallel_tool_calls.sse",
      "openai/stream_tool_call_include_usage.sse",
      "openai/stream_text_include_usage.sse",
    ]) {
      const chunks = openAIChunks(path);
      const back = await providerReadsClaudeStream(eventsOf(chunks));
      expect(summary(back)).toEqual(summary(chunks));
      const usage = chunks.find((chunk) => chunk.usage)?.usage;
      if (usage) {
        expect(back.at(-1)?.usage).toMatchObject({
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
        });
      }
    }
  });

  it("ends with Bedrock's invocation metrics on message_stop, as Bedrock's own stream does", async () => {
    const recorded = invokeStreamEvents("bedrock/claude_stream_text.eventstream.b64") as AnthropicStreamEvent[];
    const chunks = await providerReadsClaudeStream(recorded);
    // Read at the start, at the first chunk (then no more until the end), and at the end.
    let now = 2000;
    const writer = new ClaudeStreamEvents(() => {
      now += 120.6;
      return now;
    });
    const events = [...chunks.flatMap((chunk) => writer.chunk(chunk)), ...writer.end()];
    const stop = recorded.at(-1);
    expect(stop?.type === "message_stop" && stop["amazon-bedrock-invocationMetrics"]).toMatchObject({
      inputTokenCount: 412,
      outputTokenCount: 17,
    });
    expect(events.at(-1)).toEqual({
      type: "message_stop",
      "amazon-bedrock-invocationMetrics": {
        inputTokenCount: 412,
        outputTokenCount: 17,
        invocationLatency: 241,
        firstByteLatency: 121,
      },
    });
    expect(events.slice(0, -1).some((event) => "amazon-bedrock-invocationMetrics" in event)).toBe(false);
  });

  it("counts cached prompt tokens apart in the metrics, as in the usage", () => {
    const writer = new ClaudeStreamEvents(() => 0);
    writer.chunk(
      create(ChatCompletionChunkSchema, {
        choices: [],
        usage: { promptTokens: 30, completionTokens: 5, totalTokens: 35, promptTokensDetails: { cachedTokens: 20 } },
      }),
    );
    expect(writer.end().slice(-2)).toEqual([
      expect.objectContaining({ usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 20 } }),
      {
        type: "message_stop",
        "amazon-bedrock-invocationMetrics": {
          inputTokenCount: 10,
          outputTokenCount: 5,
          cacheReadInputTokenCount: 20,
          invocationLatency: 0,
          firstByteLatency: 0,
        },
      },
    ]);
  });

  it("still opens and closes the message when the stream had no chunk", () => {
    expect(new ClaudeStreamEvents().end().map((event) => event.type)).toEqual([
      "message_start",
      "message_delta",
      "message_stop",
    ]);
  });
});
