import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../../../src/core/errors.js";
import {
  claudeUsage,
  fromClaudeMessage,
  readClaudeMessage,
} from "../../../../src/providers/bedrock/claude/from-claude-response.js";
import { mapClaudeStopReason } from "../../../../src/providers/bedrock/claude/map-stop-reason.js";
import type { AnthropicMessage } from "../../../../src/wire/anthropic-messages.js";
import { fixtureJson } from "../wire-fixtures.js";

describe("fromClaudeMessage", () => {
  it("reads a text answer", () => {
    const answer = fromClaudeMessage(readClaudeMessage(fixtureJson("bedrock/claude_invoke_response_text.json")));
    expect(answer).toEqual({
      text: "Tomorrow in Paris: 19 °C with light rain in the afternoon.",
      toolCalls: [],
      finishReason: "stop",
      usage: { promptTokens: 412, completionTokens: 17, totalTokens: 429 },
    });
  });

  it("reads text and a tool call, with the arguments as JSON text", () => {
    const answer = fromClaudeMessage(readClaudeMessage(fixtureJson("bedrock/claude_invoke_response_tool_use.json")));
    expect(answer.text).toBe("I'll look up tomorrow's forecast for Paris.");
    expect(answer.finishReason).toBe("tool_calls");
    expect(answer.toolCalls).toEqual([
      { id: "toolu_bdrk_01FqpV1qX3bJ4bczkdtMhdGz", name: "get_weather", arguments: expect.any(String) },
    ]);
    expect(JSON.parse(answer.toolCalls[0]?.arguments ?? "")).toEqual({ city: "Paris", unit: "celsius", day_offset: 1 });
  });

  it("counts cache reads and writes into the prompt tokens, reads as cached, writes as cache writes", () => {
    const variants = fixtureJson<Record<string, Partial<AnthropicMessage["usage"]>>>(
      "bedrock/claude_usage_variants.json",
    );
    expect(claudeUsage(variants.claude3)).toEqual({ promptTokens: 412, completionTokens: 17, totalTokens: 429 });
    expect(claudeUsage(variants.claude4_with_cache_fields)).toEqual({
      promptTokens: 10,
      completionTokens: 15,
      totalTokens: 25,
      promptTokensDetails: { cachedTokens: 0, cacheWriteTokens: 0 },
    });
    expect(
      claudeUsage({ input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 1 }),
    ).toEqual({
      promptTokens: 125,
      completionTokens: 1,
      totalTokens: 126,
      promptTokensDetails: { cachedTokens: 100, cacheWriteTokens: 20 },
    });
  });

  it("maps every stop reason", () => {
    const { stop_reason_values: reasons } = fixtureJson<{ stop_reason_values: string[] }>(
      "bedrock/claude_usage_variants.json",
    );
    expect(Object.fromEntries(reasons.map((reason) => [reason, mapClaudeStopReason(reason)]))).toEqual({
      end_turn: "stop",
      max_tokens: "length",
      stop_sequence: "stop",
      tool_use: "tool_calls",
      pause_turn: "stop",
      refusal: "content_filter",
      model_context_window_exceeded: "length",
    });
    expect(mapClaudeStopReason("something_new")).toBe("stop");
  });

  it("refuses an answer that is not a Claude message", () => {
    expect(() => readClaudeMessage({ results: [] })).toThrow(UpstreamError);
    expect(() => readClaudeMessage(null)).toThrow(UpstreamError);
  });

  it("reads thinking as reasoning, keeps the signed and redacted blocks, and a guardrail's verdict", () => {
    const answer = fromClaudeMessage({
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude",
      content: [
        { type: "thinking", thinking: "first ", signature: "s1" },
        { type: "redacted_thinking", data: "d" },
        { type: "text", text: "Hi" },
        { type: "tool_use", id: "t", name: "now", input: {} },
      ],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
      "amazon-bedrock-guardrailAction": "INTERVENED",
      "amazon-bedrock-trace": { guardrail: { outputAssessments: {} } },
    });
    expect(answer).toMatchObject({
      text: "Hi",
      reasoning: "first ",
      thinkingBlocks: [
        { type: "thinking", thinking: "first ", signature: "s1" },
        { type: "redacted_thinking", data: "d" },
      ],
      toolCalls: [{ id: "t", name: "now", arguments: "{}" }],
      finishReason: "content_filter",
      extensions: { guardrail_trace: { outputAssessments: {} } },
    });
  });
});
