import { describe, expect, it } from "vitest";
import { toAnswerChunks } from "../../../../src/providers/bedrock/answer-chunks.js";
import { ConverseStreamMapper } from "../../../../src/providers/bedrock/converse/converse-stream-mapper.js";
import { asStream, collect, converseStreamEvents } from "../wire-fixtures.js";

describe("ConverseStream events to chunks", () => {
  it("maps the recorded ConverseStream: text, one tool call reassembled, finish, usage", async () => {
    const events = converseStreamEvents("bedrock/converse_stream_tool_use.eventstream.b64");
    const chunks = await collect(toAnswerChunks(asStream(events), new ConverseStreamMapper(), "amazon.nova-lite-v1:0"));
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: "assistant", content: "" });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("")).toBe(
      "I'll look up tomorrow's forecast for Paris.",
    );
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta?.toolCalls ?? []);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      index: 0,
      id: "tooluse_QklrEHKjRu6Oc4BQUfy7ZQ",
      function: { name: "get_weather" },
    });
    expect(JSON.parse(calls[1]?.function?.arguments ?? "")).toEqual({ city: "Paris", unit: "celsius", day_offset: 1 });
    expect(chunks.at(-2)?.choices[0]?.finishReason).toBe("tool_calls");
    expect(chunks.at(-1)?.usage).toMatchObject({ promptTokens: 402, completionTokens: 58, totalTokens: 460 });
  });

  it("streams reasoning apart from the text, its block whole at its stop; a call with no arguments gets {}", async () => {
    const events = [
      { messageStart: { role: "assistant" } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: "thinking" } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: "sig" } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: "t", name: "f" } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: "" } } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      { messageStop: { stopReason: "tool_use" } },
    ] as const;
    const chunks = await collect(toAnswerChunks(asStream([...events]), new ConverseStreamMapper(), "m"));
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta);
    expect(deltas.map((delta) => delta?.reasoningContent)).toEqual([
      undefined,
      "thinking",
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(deltas[2]?.thinkingBlocks.map(({ type, thinking, signature }) => ({ type, thinking, signature }))).toEqual([
      { type: "thinking", thinking: "thinking", signature: "sig" },
    ]);
    expect(deltas.map((delta) => delta?.content)).toEqual(["", undefined, undefined, undefined, undefined, undefined]);
    expect(deltas[3]?.toolCalls[0]).toMatchObject({ index: 0, id: "t", function: { name: "f", arguments: "" } });
    expect(deltas[4]?.toolCalls[0]).toMatchObject({ index: 0, function: { arguments: "{}" } });
    expect(chunks.at(-1)?.choices[0]?.finishReason).toBe("tool_calls");
  });
});
