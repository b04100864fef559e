import type { ModelRoute } from "../core/model-router.js";

/**
 * What a models file (MODELS_FILE) says, checked: upstream accounts beside
 * the environment's `openai` and `bedrock`, the model names clients may send
 * with their ordered targets, and the Anthropic model names it overrides.
 * docs/models-file.md is the reference.
 */

export const PROVIDER_TYPES = ["openai", "bedrock"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

interface NamedProviderBase {
  /** `[a-z0-9-]+`: the routing prefix, `<name>/<model id>`. */
  name: string;
  /**
   * The `${NAME}` references the environment does not set. While one is
   * missing the provider is not configured: requests for it fail (and fall
   * back) with a message that names what to set.
   */
  unsetVariables: string[];
}

/** OpenAI, or any server that speaks its API. */
export interface NamedOpenAIProvider extends NamedProviderBase {
  type: "openai";
  baseUrl: string;
  apiKey: string;
}

/** A Bedrock account and region, with its own credentials or the standard AWS chain. */
export interface NamedBedrockProvider extends NamedProviderBase {
  type: "bedrock";
  region?: string;
  endpointUrl?: string;
  controlEndpointUrl?: string;
  profile?: string;
  roleArn?: string;
  externalId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

export type NamedProvider = NamedOpenAIProvider | NamedBedrockProvider;

/** A model name clients send, and the targets tried in order. */
export interface ModelAliasDefinition {
  name: string;
  targets: ModelRoute[];
}

export interface ModelsFile {
  /** The path as MODELS_FILE gives it, for messages. */
  path: string;
  providers: NamedProvider[];
  models: ModelAliasDefinition[];
  /**
   * Anthropic public model names (`claude-sonnet-4-5-20250929`) and the model
   * a request for them goes to instead of the Anthropic front door's built-in
   * choice: an alias of `models`, `<provider>/<model id>`, or a Bedrock id.
   */
  anthropicModels: ReadonlyMap<string, string>;
  /** What is worth saying without stopping: a provider off because a variable is unset. */
  warnings: string[];
}
