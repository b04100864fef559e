/** The reasoning efforts a request may ask for (`reasoning_effort`). */
export const REASONING_EFFORTS = ["minimal", "low", "medium", "high"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/**
 * Claude's thinking budget for each effort. Claude's floor is 1024 tokens;
 * the budget must stay below `max_tokens`, which counts thinking and answer.
 * The Anthropic front door reads a caller's budget back as an effort by the
 * same table.
 */
export const THINKING_BUDGETS: Record<ReasoningEffort, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
};
