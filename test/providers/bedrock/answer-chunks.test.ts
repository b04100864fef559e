/**
 * The chunks a Bedrock stream becomes, from the family-neutral answer
 * events: reasoning apart from the content, reasoning blocks together,
 * tool calls without arguments as `{}`, the forced tool of structured
 * output as content, and a guardrail's verdict and answer fields on the
 * finish chunk.
 */
import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import { type AnswerEvent, toAnswerChunks } from "../../../src/providers/bedrock/answer-chunks.js";
import { fromOutputTool } from "../../../src/providers/bedrock/assistant-answer.js";
import { asStream, collect } from "./wire-fixtures.js";

/** Events that are already answer events. */
const identity = { map: (event: AnswerEvent) => [event] };

function chunks(events: AnswerEvent[], outputTool?: string): Promise<ChatCompletionChunk[]> {
  return collect(toAnswerChunks(asStream(events), identity, "m", outputTool ? { outputTool } : {}));
}

const deltas = (all: ChatCompletionChunk[]) => all.map((chunk) => chunk.choices[0]?.delta);

describe("toAnswerChunks", () => {
  it("sends reasoning as its own deltas and the blocks together when the reasoning is over", async () => {
    const all = await chunks([
      { type: "reasoning", text: "a " },
      { type: "thinking-block", block: { type: "thinking", thinking: "a ", signature: "s" } },
      { type: "thinking-block", block: { type: "redacted_thinking", data: "d" } },
      { type: "text", text: "hi" },
      { type: "finish", reason: "stop" },
    ]);
    expect(deltas(all).map((delta) => [delta?.reasoningContent, delta?.content, delta?.thinkingBlocks.length])).toEqual(
      [
        [undefined, "", 0],
        ["a ", undefined, 0],
        [undefined, undefined, 2],
        [undefined, "hi", 0],
        [undefined, undefined, 0],
      ],
    );
  });

  it("sends {} for a call that got no argument text, after the calls, before the finish", async () => {
    const all = await chunks([
      { type: "tool-call-start", block: 0, id: "a", name: "f" },
      { type: "tool-call-arguments", block: 0, fragment: "" },
      { type: "tool-call-start", block: 1, id: "b", name: "g" },
      { type: "tool-call-arguments", block: 1, fragment: '{"x":1}' },
      { type: "finish", reason: "tool_calls" },
    ]);
    const calls = deltas(all).flatMap((delta) => delta?.toolCalls ?? []);
    expect(calls.map((call) => [call.index, call.function?.arguments])).toEqual([
      [0, ""],
      [1, ""],
      [1, '{"x":1}'],
      [0, "{}"],
    ]);
    expect(all.at(-1)?.choices[0]?.finishReason).toBe("tool_calls");
  });

  it("streams the forced tool's arguments as content, ending as a plain answer", async () => {
    const all = await chunks(
      [
        { type: "tool-call-start", block: 0, id: "t", name: "answer" },
        { type: "tool-call-arguments", block: 0, fragment: '{"a":' },
        { type: "tool-call-arguments", block: 0, fragment: "1}" },
        { type: "finish", reason: "tool_calls" },
      ],
      "answer",
    );
    expect(
      deltas(all)
        .map((delta) => delta?.content ?? "")
        .join(""),
    ).toBe('{"a":1}');
    expect(deltas(all).every((delta) => delta?.toolCalls.length === 0)).toBe(true);
    expect(all.at(-1)?.choices[0]?.finishReason).toBe("stop");
  });

  it("ends as content_filter when a guardrail intervened, the answer fields on the finish chunk", async () => {
    const all = await chunks([
      { type: "text", text: "blocked" },
      { type: "finish", reason: "stop" },
      { type: "intervened" },
      { type: "answer-field", name: "guardrail_trace", value: { a: 1 } },
      { type: "answer-field", name: "service_tier", value: "flex" },
      { type: "usage", usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } },
    ]);
    const finish = all.at(-2);
    expect(finish?.choices[0]?.finishReason).toBe("content_filter");
    expect(finish?.extensions).toEqual({ guardrail_trace: { a: 1 }, service_tier: "flex" });
    expect(all.at(-1)?.usage?.totalTokens).toBe(2);
  });
});

describe("fromOutputTool", () => {
  const answer = {
    text: "",
    toolCalls: [
      { id: "1", name: "lookup", arguments: "{}" },
      { id: "2", name: "answer", arguments: '{"a":1}' },
    ],
    finishReason: "tool_calls" as const,
    usage: undefined,
  };

  it("answers the forced tool's input as the content, keeping the caller's own calls", () => {
    expect(fromOutputTool(answer, "answer")).toMatchObject({
      text: '{"a":1}',
      toolCalls: [{ name: "lookup" }],
      finishReason: "tool_calls",
    });
    expect(fromOutputTool({ ...answer, toolCalls: [answer.toolCalls[1] as never] }, "answer")).toMatchObject({
      text: '{"a":1}',
      toolCalls: [],
      finishReason: "stop",
    });
    expect(fromOutputTool(answer, "other")).toBe(answer);
  });
});
