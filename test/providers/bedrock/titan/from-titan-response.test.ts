import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../../../src/core/errors.js";
import { toAnswerChunks } from "../../../../src/providers/bedrock/answer-chunks.js";
import { fromTitanResponse, readTitanResponse } from "../../../../src/providers/bedrock/titan/from-titan-response.js";
import { mapTitanCompletionReason } from "../../../../src/providers/bedrock/titan/map-completion-reason.js";
import { TitanStreamMapper } from "../../../../src/providers/bedrock/titan/titan-stream-mapper.js";
import { asStream, collect, fixtureJson, invokeStreamEvents } from "../wire-fixtures.js";

describe("Titan answers", () => {
  it("reads the unary example", () => {
    expect(fromTitanResponse(readTitanResponse(fixtureJson("bedrock/titan_response.json")))).toEqual({
      text: "\nTomorrow in Paris expect around 19 °C with light rain.",
      toolCalls: [],
      finishReason: "stop",
      usage: { promptTokens: 15, completionTokens: 16, totalTokens: 31 },
    });
  });

  it("maps every completion reason, documented and observed", () => {
    const facts = fixtureJson<{
      response: { completionReason_documented: string[]; completionReason_observed: string[] };
    }>("bedrock/titan_facts.json");
    const reasons = [...facts.response.completionReason_documented, ...facts.response.completionReason_observed];
    expect(Object.fromEntries(reasons.map((reason) => [reason, mapTitanCompletionReason(reason)]))).toEqual({
      FINISHED: "stop",
      FINISH: "stop",
      LENGTH: "length",
      STOP_CRITERIA_MET: "stop",
      RAG_QUERY_WHEN_RAG_DISABLED: "stop",
      CONTENT_FILTERED: "content_filter",
    });
  });

  it("refuses an answer without results", () => {
    expect(() => readTitanResponse({ outputText: "x" })).toThrow(UpstreamError);
  });

  it("maps the recorded stream: role, text, finish, usage from the first and last chunks", async () => {
    const events = invokeStreamEvents("bedrock/titan_stream.eventstream.b64");
    const chunks = await collect(
      toAnswerChunks(asStream(events), new TitanStreamMapper(), "amazon.titan-text-express-v1"),
    );
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? null)).toEqual([
      "",
      "\nTomorrow in Paris expect",
      " around 19 °C with light rain.",
      null,
      null,
    ]);
    expect(chunks.at(-2)?.choices[0]?.finishReason).toBe("stop");
    expect(chunks.at(-1)?.usage).toMatchObject({ promptTokens: 15, completionTokens: 16, totalTokens: 31 });
  });
});
