import type { AnthropicStopReason } from "../../wire/anthropic-messages.js";

const STOP_REASONS: Record<string, AnthropicStopReason> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  // OpenAI's legacy name for a tool call.
  function_call: "tool_use",
  content_filter: "refusal",
};

/**
 * OpenAI's finish_reason as Anthropic's stop_reason: the inverse of the Claude
 * provider's table. `stop` cannot tell a stop sequence from the end of the
 * turn, so it reads as `end_turn`; an unknown reason does too.
 */
export function toAnthropicStopReason(finishReason: string | undefined): AnthropicStopReason {
  return STOP_REASONS[finishReason ?? ""] ?? "end_turn";
}
