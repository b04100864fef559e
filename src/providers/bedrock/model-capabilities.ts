import { revealedModelId } from "./model-family.js";

/** How a model takes OpenAI's `reasoning_effort`. */
export type ReasoningStyle =
  /** Claude's extended thinking: `thinking: {type: "enabled", budget_tokens}`. */
  | "claude-thinking"
  /** Nova 2's `reasoningConfig: {type: "enabled", maxReasoningEffort}` (Converse). */
  | "nova-effort"
  /** The model always reasons (DeepSeek-R1); no effort to set. */
  | "always"
  | "none";

/** Where a model reads `top_k` (Converse has no field of its own for it). */
export type TopKStyle = "top_k" | "nova" | "cohere" | "none";

/**
 * What a Bedrock model can do beyond plain chat, by its id, as AWS documents
 * it: the user guide's pages on extended thinking, structured outputs
 * (`structured-output`, `claude-messages-structured-outputs`), prompt
 * caching (`prompt-caching`) and each family's inference parameters.
 * `known` is false for ids that reveal no model (application inference
 * profiles, provisioned models): Bedrock then decides.
 */
export interface ModelCapabilities {
  /** The model id as the caller named it, for messages. */
  model: string;
  known: boolean;
  /** `anthropic`, `amazon`, `meta` ... */
  vendor: string | undefined;
  reasoning: ReasoningStyle;
  /** Bedrock structured output (`output_config.format` / `outputConfig.textFormat`). */
  nativeStructuredOutput: boolean;
  /** `tool_choice` can force one named tool (Claude 3 and later, Nova). */
  forcedToolChoice: boolean;
  /** Explicit prompt-cache breakpoints. */
  promptCache: boolean;
  /** The one-hour cache TTL. */
  cacheHour: boolean;
  /** Takes `temperature` or `top_p`, not both (Claude Sonnet 4.5, Haiku 4.5 and later). */
  temperatureOrTopP: boolean;
  topK: TopKStyle;
}

/** A Claude model's generation as a number: 3, 3.5, 3.7, 4, 4.1, 4.5 ... (0 for ids it cannot read). */
export function claudeVersion(model: string): number {
  // `claude-3-5-sonnet-...`, `claude-3-haiku-...` (version first) or `claude-sonnet-4-5-...` (family first).
  const old = /claude-(\d)(?:-(\d)(?!\d))?-(?:sonnet|opus|haiku)/.exec(model);
  if (old) return Number(`${old[1]}.${old[2] ?? 0}`);
  const current = /claude-(?:sonnet|opus|haiku)-(\d)(?!\d)(?:-(\d)(?!\d))?/.exec(model);
  if (current) return Number(`${current[1]}.${current[2] ?? 0}`);
  return 0;
}

const NONE: Omit<ModelCapabilities, "model"> = {
  known: true,
  vendor: undefined,
  reasoning: "none",
  nativeStructuredOutput: false,
  forcedToolChoice: false,
  promptCache: false,
  cacheHour: false,
  temperatureOrTopP: false,
  topK: "none",
};

function claude(model: string): Omit<ModelCapabilities, "model"> {
  const version = claudeVersion(model);
  return {
    ...NONE,
    vendor: "anthropic",
    reasoning: version >= 3.7 ? "claude-thinking" : "none",
    nativeStructuredOutput: version >= 4.5,
    forcedToolChoice: version >= 3,
    promptCache: version >= 3.7 || /claude-3-5-haiku/.test(model),
    cacheHour: version >= 4.5,
    temperatureOrTopP: version >= 4.5,
    topK: "top_k",
  };
}

function amazon(model: string): Omit<ModelCapabilities, "model"> {
  if (!model.startsWith("nova")) return { ...NONE, vendor: "amazon" };
  return {
    ...NONE,
    vendor: "amazon",
    reasoning: model.startsWith("nova-2") ? "nova-effort" : "none",
    forcedToolChoice: true,
    promptCache: /^nova-(?:micro|lite|pro|premier|2)/.test(model),
    topK: "nova",
  };
}

/** What the model a Bedrock model id names can do. */
export function modelCapabilities(modelId: string): ModelCapabilities {
  return { model: modelId, ...capabilitiesOf(revealedModelId(modelId)) };
}

function capabilitiesOf(id: string): Omit<ModelCapabilities, "model"> {
  const match = /^(?:[a-z-]+\.)?([a-z0-9]+)\.(.+)$/.exec(id);
  if (!match) return { ...NONE, known: false, topK: "top_k" };
  const [, vendor = "", model = ""] = match;
  switch (vendor) {
    case "anthropic":
      return claude(model);
    case "amazon":
      return amazon(model);
    case "deepseek":
      return { ...NONE, vendor, reasoning: model.startsWith("r1") ? "always" : "none" };
    case "mistral":
      return { ...NONE, vendor, topK: "top_k" };
    case "cohere":
      return { ...NONE, vendor, topK: model.startsWith("command-r") ? "cohere" : "none" };
    default:
      return { ...NONE, vendor };
  }
}
