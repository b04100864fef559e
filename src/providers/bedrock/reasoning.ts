import type { JsonObject } from "@bufbuild/protobuf";
import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import { REASONING_EFFORTS, type ReasoningEffort, THINKING_BUDGETS } from "../../core/thinking-budgets.js";
import type { BedrockControls } from "./bedrock-controls.js";
import { CLAUDE_DEFAULT_MAX_TOKENS, maxTokensOf } from "./generation-limits.js";
import type { ModelCapabilities } from "./model-capabilities.js";

/** What a request's reasoning asks of the model, once checked against the model's rules. */
export type Reasoning =
  /** Claude's extended thinking: `thinking` (the caller's own object, or one made from the effort) and the token limit. */
  | { kind: "claude-thinking"; thinking: JsonObject; maxTokens: number; enabled: boolean }
  /** Nova 2's reasoning effort. */
  | { kind: "nova-effort"; effort: "low" | "medium" | "high" };

function invalid(param: string, message: string, code = "invalid_value"): InvalidRequestError {
  return new InvalidRequestError(message, { param, code });
}

function unsupportedEffort(capabilities: ModelCapabilities): InvalidRequestError {
  const why =
    capabilities.reasoning === "always"
      ? "this model always reasons and takes no reasoning effort"
      : capabilities.known
        ? "this model does not reason on Bedrock"
        : "the model behind this id is unknown, so its way of reasoning is too; name the model or use Claude's 'thinking'";
  return invalid(
    "reasoning_effort",
    `'reasoning_effort' is not supported for ${capabilities.model}: ${why}.`,
    "unsupported_parameter",
  );
}

/** The token-limit field the caller used, for the errors that name it. */
function maxTokensParam(request: ChatCompletionRequest): string {
  return request.maxCompletionTokens === undefined ? "max_tokens" : "max_completion_tokens";
}

/**
 * What Claude's extended thinking forbids, checked before the call with a
 * 400 that says the fix: a temperature other than 1, top_p below 0.95,
 * top_k, and a tool_choice that forces a tool.
 */
function checkThinkingCompanions(request: ChatCompletionRequest): void {
  const fix = "Claude's extended thinking (reasoning_effort or thinking)";
  if (request.temperature !== undefined && request.temperature !== 1) {
    throw invalid("temperature", `'temperature' must be 1 or unset with ${fix}; remove it or the reasoning.`);
  }
  if (request.topP !== undefined && request.topP < 0.95) {
    throw invalid("top_p", `'top_p' must be at least 0.95 or unset with ${fix}; remove it or the reasoning.`);
  }
  if (request.topK !== undefined) {
    throw invalid("top_k", `'top_k' must be unset with ${fix}; remove it or the reasoning.`);
  }
  const choice = request.toolChoice?.type;
  if (choice === "required" || choice === "function") {
    throw invalid(
      "tool_choice",
      `'tool_choice' '${choice}' forces a tool, which ${fix} does not allow; use 'auto' or remove the reasoning.`,
    );
  }
}

function claudeThinking(
  request: ChatCompletionRequest,
  controls: BedrockControls,
  effort: ReasoningEffort | undefined,
): Reasoning {
  const native = controls.thinking;
  if (native && effort !== undefined) {
    throw invalid("reasoning_effort", "Give 'reasoning_effort' or Claude's 'thinking', not both.");
  }
  if (native) {
    // Claude's own object passes as given; Bedrock checks its budget.
    const budget = typeof native.budget_tokens === "number" ? native.budget_tokens : 0;
    const enabled = native.type === "enabled";
    if (enabled) checkThinkingCompanions(request);
    const maxTokens =
      maxTokensOf(request) ?? (enabled ? budget + CLAUDE_DEFAULT_MAX_TOKENS : CLAUDE_DEFAULT_MAX_TOKENS);
    return { kind: "claude-thinking", thinking: native, maxTokens, enabled };
  }
  const budget = THINKING_BUDGETS[effort ?? "medium"];
  const max = maxTokensOf(request);
  if (max !== undefined && max <= budget) {
    const param = maxTokensParam(request);
    throw invalid(
      param,
      `'reasoning_effort' '${effort}' gives Claude a thinking budget of ${budget} tokens, which must be less than '${param}' (${max}): raise '${param}' above ${budget} or choose a lower reasoning_effort.`,
    );
  }
  checkThinkingCompanions(request);
  return {
    kind: "claude-thinking",
    thinking: { type: "enabled", budget_tokens: budget },
    maxTokens: max ?? budget + CLAUDE_DEFAULT_MAX_TOKENS,
    enabled: true,
  };
}

/**
 * The reasoning a request asks for, in the model's terms: OpenAI's
 * `reasoning_effort` as Claude's extended thinking (a budget from the
 * effort) or Nova 2's effort, or Claude's own `thinking` as given. A model
 * that cannot reason refuses it; `none` asks for no reasoning.
 */
export function readReasoning(
  request: ChatCompletionRequest,
  capabilities: ModelCapabilities,
  controls: BedrockControls,
): Reasoning | undefined {
  const effort = request.reasoningEffort;
  if (effort !== "" && effort !== "none" && !(REASONING_EFFORTS as readonly string[]).includes(effort)) {
    throw invalid(
      "reasoning_effort",
      `Invalid value for 'reasoning_effort': '${effort}'. Supported values are: 'none', ${REASONING_EFFORTS.map((e) => `'${e}'`).join(", ")}.`,
    );
  }
  const asked = effort !== "" && effort !== "none" ? (effort as ReasoningEffort) : undefined;
  if (!asked && !controls.thinking) return undefined;
  // Claude's own "no thinking" is what every other model does anyway.
  if (!asked && controls.thinking?.type === "disabled" && capabilities.reasoning !== "claude-thinking")
    return undefined;
  if (capabilities.reasoning === "claude-thinking") return claudeThinking(request, controls, asked);
  if (controls.thinking) {
    throw invalid(
      "thinking",
      `'thinking' is not supported for ${capabilities.model}: it is Claude's extended thinking.`,
      "unsupported_parameter",
    );
  }
  if (capabilities.reasoning === "nova-effort") {
    return { kind: "nova-effort", effort: asked === "minimal" || asked === undefined ? "low" : asked };
  }
  throw unsupportedEffort(capabilities);
}
