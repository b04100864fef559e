import type { ChatCompletionResponse } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { TitanTextResponse } from "../../wire/titan-text.js";
import { answerText } from "../shared/answer-text.js";
import { toTitanCompletionReason } from "./map-finish-reason.js";

/**
 * A complete answer as Titan's response: the prompt count and one result
 * with the text, its token count and the completion reason mapped back.
 * Titan has no tool calls; requests that could make them are refused
 * before they are sent (see checkTargetFormat).
 */
export function toTitanResponse(response: ChatCompletionResponse): TitanTextResponse {
  const choice = response.choices[0];
  return {
    inputTextTokenCount: response.usage?.promptTokens ?? 0,
    results: [
      {
        tokenCount: response.usage?.completionTokens ?? 0,
        outputText: answerText(choice?.message),
        completionReason: toTitanCompletionReason(choice?.finishReason),
      },
    ],
  };
}
