import type { TitanCompletionReason } from "../../../wire/titan-text.js";
import type { FinishReason } from "../assistant-answer.js";

const FINISH_REASONS: Record<TitanCompletionReason, FinishReason> = {
  FINISH: "stop",
  FINISHED: "stop",
  STOP_CRITERIA_MET: "stop",
  RAG_QUERY_WHEN_RAG_DISABLED: "stop",
  LENGTH: "length",
  CONTENT_FILTERED: "content_filter",
};

/** Titan's completionReason as OpenAI's finish_reason; an unknown reason reads as `stop`. */
export function mapTitanCompletionReason(reason: string | null | undefined): FinishReason {
  return FINISH_REASONS[reason as TitanCompletionReason] ?? "stop";
}
