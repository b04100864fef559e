import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../../../src/core/errors.js";
import {
  converseUsage,
  fromConverseResponse,
  readConverseResponse,
} from "../../../../src/providers/bedrock/converse/from-converse-response.js";
import { mapConverseStopReason } from "../../../../src/providers/bedrock/converse/map-stop-reason.js";
import type { ConverseResponse } from "../../../../src/wire/bedrock-converse.js";
import { fixtureJson } from "../wire-fixtures.js";

describe("Converse answers", () => {
  it("reads a text answer", () => {
    const answer = fromConverseResponse(
      readConverseResponse(fixtureJson<ConverseResponse>("bedrock/converse_response_text.json")),
    );
    expect(answer).toEqual({
      text: "Tomorrow in Paris: 19 °C with light rain in the afternoon.",
      toolCalls: [],
      finishReason: "stop",
      usage: { promptTokens: 412, completionTokens: 17, totalTokens: 429 },
    });
  });

  it("reads text and a tool call", () => {
    const answer = fromConverseResponse(fixtureJson<ConverseResponse>("bedrock/converse_response_tool_use.json"));
    expect(answer.finishReason).toBe("tool_calls");
    expect(answer.toolCalls.map((call) => [call.id, call.name, JSON.parse(call.arguments)])).toEqual([
      ["tooluse_QklrEHKjRu6Oc4BQUfy7ZQ", "get_weather", { city: "Paris", unit: "celsius", day_offset: 1 }],
    ]);
  });

  it("counts cache tokens into the prompt, as totalTokens does", () => {
    const { usage_with_cache: usage } = fixtureJson<{ usage_with_cache: ConverseResponse["usage"] }>(
      "bedrock/converse_variants.json",
    );
    expect(converseUsage(usage)).toEqual({
      promptTokens: 1036,
      completionTokens: 50,
      totalTokens: usage.totalTokens,
      promptTokensDetails: { cachedTokens: 1024, cacheWriteTokens: 0 },
    });
  });

  it("maps every stop reason", () => {
    const { stopReason_values: reasons } = fixtureJson<{ stopReason_values: string[] }>(
      "bedrock/converse_variants.json",
    );
    expect(Object.fromEntries(reasons.map((reason) => [reason, mapConverseStopReason(reason)]))).toEqual({
      end_turn: "stop",
      tool_use: "tool_calls",
      max_tokens: "length",
      stop_sequence: "stop",
      guardrail_intervened: "content_filter",
      content_filtered: "content_filter",
      malformed_model_output: "stop",
      malformed_tool_use: "stop",
      model_context_window_exceeded: "length",
    });
  });

  it("refuses an answer without a message", () => {
    expect(() => readConverseResponse({} as ConverseResponse)).toThrow(UpstreamError);
  });

  it("reads reasoningContent as reasoning and blocks, and the tier and guardrail trace as answer fields", () => {
    const answer = fromConverseResponse({
      output: {
        message: {
          role: "assistant",
          content: [
            { reasoningContent: { reasoningText: { text: "hm", signature: "s" } } },
            { reasoningContent: { redactedContent: "ZW5j" } },
            { text: "Hi" },
            { toolUse: { toolUseId: "t", name: "now", input: {} } },
          ],
        },
      },
      stopReason: "guardrail_intervened",
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      metrics: { latencyMs: 1 },
      serviceTier: { type: "flex" },
      trace: { guardrail: { x: 1 } },
    });
    expect(answer).toMatchObject({
      text: "Hi",
      reasoning: "hm",
      thinkingBlocks: [
        { type: "thinking", thinking: "hm", signature: "s" },
        { type: "redacted_thinking", data: "ZW5j" },
      ],
      toolCalls: [{ arguments: "{}" }],
      finishReason: "content_filter",
      extensions: { service_tier: "flex", guardrail_trace: { x: 1 } },
    });
  });
});
