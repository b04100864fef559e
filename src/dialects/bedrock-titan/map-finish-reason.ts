import type { TitanCompletionReason } from "../../wire/titan-text.js";

const COMPLETION_REASONS: Record<string, TitanCompletionReason> = {
  stop: "FINISH",
  length: "LENGTH",
  content_filter: "CONTENT_FILTERED",
};

/**
 * OpenAI's finish_reason as Titan's completionReason: the inverse of the
 * Titan provider's table, in the spelling real Titan answers use (`FINISH`).
 * Titan has no tool calls; any other reason reads as `FINISH`.
 */
export function toTitanCompletionReason(finishReason: string | undefined): TitanCompletionReason {
  return COMPLETION_REASONS[finishReason ?? ""] ?? "FINISH";
}
