import type { TitanTextResponse } from "../../../wire/titan-text.js";
import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import { type AssistantAnswer, usageOf } from "../assistant-answer.js";
import { BEDROCK } from "../bedrock-exchange.js";
import { mapTitanCompletionReason } from "./map-completion-reason.js";

export function readTitanResponse(value: unknown): TitanTextResponse {
  const response = value as Partial<TitanTextResponse> | null;
  if (typeof response !== "object" || response === null || !Array.isArray(response.results)) {
    throw unreadableAnswer(BEDROCK, "a Titan answer without results");
  }
  return response as TitanTextResponse;
}

/** A Titan answer as the assistant's answer: the first result's text. */
export function fromTitanResponse(response: TitanTextResponse): AssistantAnswer {
  const result = response.results[0];
  return {
    text: result?.outputText ?? "",
    toolCalls: [],
    finishReason: mapTitanCompletionReason(result?.completionReason),
    usage: usageOf(response.inputTextTokenCount ?? 0, result?.tokenCount ?? 0),
  };
}
