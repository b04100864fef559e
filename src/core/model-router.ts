import { InvalidRequestError } from "./errors.js";

/** A provider's name: the routing prefix `<name>/`, in logs and metrics too. */
export type ProviderName = string;
/** The providers the environment configures; a models file adds named ones. */
export const PROVIDER_NAMES: readonly ProviderName[] = ["openai", "bedrock"];
/** Stands for no provider (a call that reached none, in the metrics): never a provider's name. */
export const NO_PROVIDER = "none";

export interface ModelRoute {
  provider: ProviderName;
  /** The id the provider's upstream knows the model by (prefix removed). */
  modelId: string;
}

/** A route as one name, `<provider>/<model id>`: how targets are written and reported. */
export function targetName(route: ModelRoute): string {
  return `${route.provider}/${route.modelId}`;
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
 * Picks the provider for a request's `model`: a prefix naming a provider
 * (`openai/`, `bedrock/`, or one of `providers`, the models file's named
 * ones) wins; otherwise a Bedrock model id or ARN goes to Bedrock and
 * anything else (including ids with other slashes, as OpenAI-compatible
 * servers use) to OpenAI. An empty model means the default OpenAI model.
 */
export function routeModel(
  model: string,
  defaultOpenAIModel: string,
  providers: readonly ProviderName[] = PROVIDER_NAMES,
): ModelRoute {
  const trimmed = model.trim();
  if (trimmed === "") return { provider: "openai", modelId: defaultOpenAIModel };
  const slash = trimmed.indexOf("/");
  const provider = slash > 0 ? trimmed.slice(0, slash) : undefined;
  if (provider !== undefined && providers.includes(provider)) {
    const modelId = trimmed.slice(slash + 1);
    if (modelId === "") {
      throw new InvalidRequestError(`The model '${trimmed}' names no model after '${provider}/'.`, {
        param: "model",
        code: "invalid_value",
      });
    }
    return { provider, modelId };
  }
  return { provider: isBedrockModelId(trimmed) ? "bedrock" : "openai", modelId: trimmed };
}
