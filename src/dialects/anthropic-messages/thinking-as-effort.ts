import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { REASONING_EFFORTS, THINKING_BUDGETS } from "../../core/thinking-budgets.js";
import { invalidValue } from "../shared/field-checks.js";

/**
 * The reasoning effort Anthropic's thinking budget stands for: the least
 * effort whose Claude budget (THINKING_BUDGETS) holds it. Adaptive thinking
 * leaves the amount to the model: `medium`.
 */
export function effortOfThinking(thinking: unknown): string | undefined {
  if (typeof thinking !== "object" || thinking === null || Array.isArray(thinking)) {
    throw invalidValue("thinking", "Invalid 'thinking': expected an object with a 'type'.");
  }
  const { type, budget_tokens: budget } = thinking as { type?: unknown; budget_tokens?: unknown };
  if (type === "disabled") return undefined;
  if (type === "adaptive") return "medium";
  if (type === "enabled" && typeof budget === "number" && Number.isFinite(budget)) {
    return REASONING_EFFORTS.find((effort) => budget <= THINKING_BUDGETS[effort]) ?? "high";
  }
  throw invalidValue(
    "thinking",
    'Invalid \'thinking\': use {"type": "enabled", "budget_tokens": N}, {"type": "adaptive"} or {"type": "disabled"}.',
  );
}

/**
 * Anthropic's `thinking` for a model that is not Claude: the canonical
 * request's reasoning effort, which each provider honours or refuses by
 * name, instead of a Claude field no other model reads.
 */
export function thinkingAsEffort(request: ChatCompletionRequest): void {
  const extensions = request.extensions;
  if (extensions === undefined || !Object.hasOwn(extensions, "thinking")) return;
  const { thinking, ...rest } = extensions;
  const effort = effortOfThinking(thinking);
  if (effort !== undefined) request.reasoningEffort = effort;
  request.extensions = Object.keys(rest).length > 0 ? rest : undefined;
}
