import type { AnthropicStopReason } from "../../../wire/anthropic-messages.js";
import type { FinishReason } from "../assistant-answer.js";

const FINISH_REASONS: Record<AnthropicStopReason, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  // The model paused a long server-side turn; what it said so far is complete.
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/** Claude's stop_reason as OpenAI's finish_reason; an unknown reason reads as `stop`. */
export function mapClaudeStopReason(reason: string | null | undefined): FinishReason {
  return FINISH_REASONS[reason as AnthropicStopReason] ?? "stop";
}
