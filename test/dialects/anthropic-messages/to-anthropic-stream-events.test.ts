import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import type { ChatCompletionChunk as OpenAIChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { type ChatCompletionChunk, ChatCompletionChunkSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { anthropicMessageId } from "../../../src/dialects/anthropic-messages/to-anthropic-response.js";
import { AnthropicStreamEvents } from "../../../src/dialects/anthropic-messages/to-anthropic-stream-events.js";
import { fromOpenAIChunk } from "../../../src/providers/openai/from-openai-response.js";
import type { AnthropicStreamEvent } from "../../../src/wire/anthropic-messages.js";
import { anyText } from "../../arbitraries/text.js";
import { sseJson } from "../../helpers/wire-fixtures.js";
import { invokeStreamEvents } from "../../providers/bedrock/wire-fixtures.js";
import { providerReadsClaudeStream } from "../provider-bodies.js";

function eventsOf(chunks: ChatCompletionChunk[]): AnthropicStreamEvent[] {
  const writer = new AnthropicStreamEvents();
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

interface StreamedCall {
  id: string;
  name: string;
  fragments: string[];
}

/** One piece of an OpenAI stream: a text delta, or one fragment of a tool call (the first with its id and name). */
type Piece = { text: string } | { call: number; id?: string; name?: string; arguments: string };

/**
 * The pieces of a text and of tool calls in any interleaving: each call's
 * fragments in order, its first (with id and name) first, and calls free to
 * interleave with each other and with the text. Consecutive pieces may share
 * a chunk, as OpenAI-compatible servers sometimes send them.
 */
const interleavedStream = fc
  .record({
    text: fc.array(anyText(8, 1), { maxLength: 4 }),
    calls: fc.uniqueArray(
      fc.record({
        id: fc.stringMatching(/^call_[A-Za-z0-9]{1,8}$/),
        name: fc.constantFrom("get_weather", "lookup"),
        fragments: fc.array(anyText(6, 1), { maxLength: 4 }),
      }),
      { maxLength: 3, selector: (call) => call.id },
    ),
    picks: fc.array(fc.nat(), { maxLength: 30 }),
    together: fc.array(fc.boolean(), { maxLength: 30 }),
  })
  .map(({ text, calls, picks, together }) => {
    const queues: Piece[][] = [
      text.map((piece) => ({ text: piece })),
      ...calls.map(({ id, name, fragments: [first = "", ...rest] }, call): Piece[] => [
        { call, id, name, arguments: first },
        ...rest.map((fragment) => ({ call, arguments: fragment })),
      ]),
    ];
    const pieces: Piece[] = [];
    for (let at = 0; queues.some((queue) => queue.length > 0); at += 1) {
      const waiting = queues.filter((queue) => queue.length > 0);
      const piece = waiting[(picks[at] ?? 0) % waiting.length]?.shift();
      if (piece) pieces.push(piece);
    }
    const deltas: { content?: string; tool_calls?: object[] }[] = [];
    pieces.forEach((piece, at) => {
      const last = deltas.at(-1);
      const join = last !== undefined && together[at] === true && !("text" in piece && last.content !== undefined);
      const delta = join ? last : {};
      if (!join) deltas.push(delta);
      if ("text" in piece) delta.content = piece.text;
      else {
        const fn = { ...(piece.name ? { name: piece.name } : {}), arguments: piece.arguments };
        const call = { index: piece.call, ...(piece.id ? { id: piece.id, type: "function" } : {}), function: fn };
        delta.tool_calls = [...(delta.tool_calls ?? []), call];
      }
    });
    const base = { id: "chatcmpl-interleaved", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
    const chunk = (delta: object, finish: string | null = null) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    const wire = [
      chunk({ role: "assistant", content: "" }),
      ...deltas.map((delta) => chunk(delta)),
      chunk({}, calls.length > 0 ? "tool_calls" : "stop"),
      { ...base, choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } },
    ];
    return { text: text.join(""), calls: calls as StreamedCall[], wire: wire as unknown as OpenAIChunk[] };
  });

/**
 * Fails unless the events are a sequence Anthropic's API could send: one
 * `message_start` first; blocks started once each, in index order from 0,
 * one at a time; deltas of the block's own kind only between its start and
 * stop; `message_delta` then `message_stop` last. Returns what it says.
 */
function readWellFormed(events: AnthropicStreamEvent[]) {
  expect(events[0]?.type).toBe("message_start");
  expect(events.slice(-2).map((event) => event.type)).toEqual(["message_delta", "message_stop"]);
  const blocks: { kind: string; id?: string; name?: string; content: string }[] = [];
  let open: number | undefined;
  for (const event of events.slice(1, -2)) {
    switch (event.type) {
      case "content_block_start": {
        expect(open).toBeUndefined();
        expect(event.index).toBe(blocks.length);
        open = event.index;
        const block = event.content_block;
        blocks.push(
          block.type === "tool_use"
            ? { kind: "tool_use", id: block.id, name: block.name, content: "" }
            : {
                kind: block.type,
                content: "",
              },
        );
        break;
      }
      case "content_block_delta": {
        expect(event.index).toBe(open);
        const block = blocks[event.index];
        if (event.delta.type === "text_delta" && block?.kind === "text") block.content += event.delta.text;
        else if (event.delta.type === "input_json_delta" && block?.kind === "tool_use") {
          block.content += event.delta.partial_json;
        } else throw new Error(`a ${event.delta.type} in a ${block?.kind} block`);
        break;
      }
      case "content_block_stop":
        expect(event.index).toBe(open);
        open = undefined;
        break;
      default:
        throw new Error(`${event.type} in the middle of the message`);
    }
  }
  expect(open).toBeUndefined();
  return blocks;
}

describe("AnthropicStreamEvents", () => {
  it("gives a well-formed event sequence for any interleaving of OpenAI's text and tool-call deltas", () => {
    fc.assert(
      fc.property(interleavedStream, ({ text, calls, wire }) => {
        const writer = new AnthropicStreamEvents();
        const events: AnthropicStreamEvent[] = [];
        for (const chunk of wire.map(fromOpenAIChunk)) {
          const now = writer.chunk(chunk);
          // Text goes out as it comes.
          const said = now.map((event) =>
            event.type === "content_block_delta" && event.delta.type === "text_delta" ? event.delta.text : "",
          );
          expect(said.join("")).toBe(chunk.choices[0]?.delta?.content ?? "");
          events.push(...now);
        }
        events.push(...writer.end());
        const blocks = readWellFormed(events);
        expect(
          blocks
            .filter((block) => block.kind === "text")
            .map((block) => block.content)
            .join(""),
        ).toBe(text);
        const byId = (a: { id?: string }, b: { id?: string }) => (a.id ?? "").localeCompare(b.id ?? "");
        expect(
          blocks
            .filter((block) => block.kind === "tool_use")
            .map(({ id, name, content }) => ({ id, name, content }))
            .sort(byId),
        ).toEqual(calls.map(({ id, name, fragments }) => ({ id, name, content: fragments.join("") })).sort(byId));
      }),
      { numRuns: 300 },
    );
  });

  it.each(["claude_stream_text", "claude_stream_tool_use"])(
    "gives back the recorded %s events after the Claude provider read them",
    async (name) => {
      const recorded = invokeStreamEvents(`bedrock/${name}.eventstream.b64`) as AnthropicStreamEvent[];
      const chunks = await providerReadsClaudeStream(recorded);
      const events = eventsOf(chunks);
      expect(meaning(events)).toEqual(meaning(recorded));
      const start = events[0];
      expect(start?.type === "message_start" && start.message.id).toBe(anthropicMessageId(chunks[0]?.id ?? ""));
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
    const writer = new AnthropicStreamEvents(() => {
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
    const writer = new AnthropicStreamEvents(() => 0);
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
    expect(new AnthropicStreamEvents().end().map((event) => event.type)).toEqual([
      "message_start",
      "message_delta",
      "message_stop",
    ]);
  });
});

describe("AnthropicStreamEvents with reasoning", () => {
  const chunk = (delta: Record<string, unknown>, finishReason?: string) =>
    create(ChatCompletionChunkSchema, {
      id: "chatcmpl-1",
      created: 1n,
      model: "m",
      choices: [{ index: 0, delta, ...(finishReason ? { finishReason } : {}) }],
    });

  it("writes a thinking block (thinking_delta, then its signature_delta), a redacted block, then the text", () => {
    const events = eventsOf([
      chunk({ role: "assistant", content: "" }),
      chunk({ reasoningContent: "hm" }),
      chunk({ reasoningContent: "m" }),
      chunk({
        thinkingBlocks: [
          { type: "thinking", thinking: "hmm", signature: "sig" },
          { type: "redacted_thinking", data: "enc" },
        ],
      }),
      chunk({ content: "Hi" }),
      chunk({}, "stop"),
    ]);
    expect(events.slice(1, -2)).toEqual([
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hm" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "m" } },
      { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig" } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "redacted_thinking", data: "enc" } },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_start", index: 2, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 2, delta: { type: "text_delta", text: "Hi" } },
      { type: "content_block_stop", index: 2 },
    ]);
  });
});
