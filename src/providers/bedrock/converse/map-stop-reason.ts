import type { ConverseStopReason } from "../../../wire/bedrock-converse.js";
import type { FinishReason } from "../assistant-answer.js";

const FINISH_REASONS: Record<ConverseStopReason, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  content_filtered: "content_filter",
  guardrail_intervened: "content_filter",
  // The model produced something unusable; what came is all there is.
  malformed_model_output: "stop",
  malformed_tool_use: "stop",
};

/** Converse's stopReason as OpenAI's finish_reason; an unknown reason reads as `stop`. */
export function mapConverseStopReason(reason: string | undefined): FinishReason {
  return FINISH_REASONS[reason as ConverseStopReason] ?? "stop";
}
