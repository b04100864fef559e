import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ChatCompletionResponseSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { toTitanCompletionReason } from "../../../src/dialects/bedrock-titan/map-finish-reason.js";
import { toTitanResponse } from "../../../src/dialects/bedrock-titan/to-titan-response.js";
import { fromOpenAIResponse } from "../../../src/providers/openai/from-openai-response.js";
import type { TitanTextResponse } from "../../../src/wire/titan-text.js";
import { wireJson } from "../../helpers/wire-fixtures.js";
import { fixtureJson } from "../../providers/bedrock/wire-fixtures.js";
import { providerReadsTitan } from "../provider-bodies.js";

describe("toTitanResponse", () => {
  it("gives back the recorded Titan answer after the Titan provider read it", () => {
    const recorded = fixtureJson<TitanTextResponse>("bedrock/titan_response.json");
    expect(toTitanResponse(providerReadsTitan(recorded))).toEqual(recorded);
  });

  it("answers OpenAI's recorded completion with its text and token counts", () => {
    const canonical = fromOpenAIResponse(wireJson("openai/chat_response_text.json"));
    expect(toTitanResponse(canonical)).toEqual({
      inputTextTokenCount: canonical.usage?.promptTokens,
      results: [
        {
          tokenCount: canonical.usage?.completionTokens,
          outputText: canonical.choices[0]?.message?.content,
          completionReason: "FINISH",
        },
      ],
    });
  });

  it("counts zero tokens when none were reported", () => {
    const answer = toTitanResponse(
      create(ChatCompletionResponseSchema, { id: "chatcmpl-1", model: "m", choices: [{ finishReason: "length" }] }),
    );
    expect(answer).toEqual({
      inputTextTokenCount: 0,
      results: [{ tokenCount: 0, outputText: "", completionReason: "LENGTH" }],
    });
  });
});

describe("toTitanCompletionReason", () => {
  it.each([
    ["stop", "FINISH"],
    ["length", "LENGTH"],
    ["content_filter", "CONTENT_FILTERED"],
    ["tool_calls", "FINISH"],
    [undefined, "FINISH"],
  ])("maps %s to %s", (finish, reason) => {
    expect(toTitanCompletionReason(finish)).toBe(reason);
  });
});
