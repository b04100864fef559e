import { InvalidRequestError } from "./errors.js";

export type ProviderName = "openai" | "bedrock";
export const PROVIDER_NAMES: readonly ProviderName[] = ["openai", "bedrock"];

export interface ModelRoute {
  provider: ProviderName;
  /** The id the provider's upstream knows the model by (prefix removed). */
  modelId: string;
}

// Vendors that publish models on Bedrock; an id `<vendor>.<name>` is theirs.
const BEDROCK_VENDORS = [
  "ai21",
  "amazon",
  "anthropic",
  "cohere",
  "deepseek",
  "google",
  "luma",
  "meta",
  "minimax",
  "mistral",
  "moonshot",
  "nvidia",
  "openai",
  "qwen",
  "stability",
  "twelvelabs",
  "writer",
];
/** The geographies cross-region inference profiles put in front of the vendor (`us.anthropic...`). */
export const BEDROCK_GEOGRAPHIES: readonly string[] = ["us", "us-gov", "eu", "apac", "jp", "au", "ca", "global"];

const BEDROCK_MODEL_ID = new RegExp(
  `^(?:(?:${BEDROCK_GEOGRAPHIES.join("|")})\\.)?(?:${BEDROCK_VENDORS.join("|")})\\.[A-Za-z0-9]`,
);
const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:/;

export function isBedrockModelId(model: string): boolean {
  return BEDROCK_MODEL_ID.test(model) || BEDROCK_ARN.test(model);
}

/**
 * Picks the provider for a request's `model`: an explicit `openai/` or
 * `bedrock/` prefix wins; otherwise a Bedrock model id or ARN goes to Bedrock
 * and anything else (including ids with other slashes, as OpenAI-compatible
 * servers use) to OpenAI. An empty model means the default OpenAI model.
 */
export function routeModel(model: string, defaultOpenAIModel: string): ModelRoute {
  const trimmed = model.trim();
  if (trimmed === "") return { provider: "openai", modelId: defaultOpenAIModel };
  for (const provider of PROVIDER_NAMES) {
    const prefix = `${provider}/`;
    if (trimmed.startsWith(prefix)) {
      const modelId = trimmed.slice(prefix.length);
      if (modelId === "") {
        throw new InvalidRequestError(`The model '${trimmed}' names no model after '${prefix}'.`, {
          param: "model",
          code: "invalid_value",
        });
      }
      return { provider, modelId };
    }
  }
  return { provider: isBedrockModelId(trimmed) ? "bedrock" : "openai", modelId: trimmed };
}
