/**
 * The models the fake Bedrock knows: what its control plane lists and what
 * its runtime answers for (any other id gets ResourceNotFoundException, as
 * on AWS). Shapes as ListFoundationModels / ListInferenceProfiles return them.
 */

export const FAKE_ACCOUNT = "123456789012";

export interface FakeFoundationModel {
  modelArn: string;
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: string[];
  outputModalities: string[];
  responseStreamingSupported: boolean;
  customizationsSupported: string[];
  inferenceTypesSupported: string[];
  modelLifecycle: { status: "ACTIVE" | "LEGACY" };
}

export interface FakeInferenceProfile {
  inferenceProfileName: string;
  description: string;
  /** ISO 8601: the control plane's timestamps are date-time strings. */
  createdAt: string;
  updatedAt: string;
  inferenceProfileArn: string;
  models: { modelArn: string }[];
  inferenceProfileId: string;
  status: "ACTIVE";
  type: "SYSTEM_DEFINED" | "APPLICATION";
}

function foundation(
  region: string,
  modelId: string,
  providerName: string,
  options: { input?: string[]; output?: string[]; inference?: string[] } = {},
): FakeFoundationModel {
  return {
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${modelId}`,
    modelId,
    modelName: modelId.split(".")[1] ?? modelId,
    providerName,
    inputModalities: options.input ?? ["TEXT"],
    outputModalities: options.output ?? ["TEXT"],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: options.inference ?? ["ON_DEMAND"],
    modelLifecycle: { status: "ACTIVE" },
  };
}

export function fakeFoundationModels(region: string): FakeFoundationModel[] {
  return [
    foundation(region, "anthropic.claude-3-5-sonnet-20240620-v1:0", "Anthropic", { input: ["TEXT", "IMAGE"] }),
    foundation(region, "anthropic.claude-3-haiku-20240307-v1:0", "Anthropic", { input: ["TEXT", "IMAGE"] }),
    // Provisioned-throughput variant: not invocable on demand.
    foundation(region, "anthropic.claude-3-haiku-20240307-v1:0:48k", "Anthropic", { inference: ["PROVISIONED"] }),
    foundation(region, "anthropic.claude-sonnet-4-20250514-v1:0", "Anthropic", {
      input: ["TEXT", "IMAGE"],
      inference: ["INFERENCE_PROFILE"],
    }),
    foundation(region, "anthropic.claude-sonnet-4-5-20250929-v1:0", "Anthropic", {
      input: ["TEXT", "IMAGE"],
      inference: ["INFERENCE_PROFILE"],
    }),
    foundation(region, "anthropic.claude-haiku-4-5-20251001-v1:0", "Anthropic", {
      input: ["TEXT", "IMAGE"],
      inference: ["INFERENCE_PROFILE"],
    }),
    foundation(region, "amazon.titan-text-express-v1", "Amazon"),
    foundation(region, "amazon.titan-text-lite-v1", "Amazon"),
    foundation(region, "amazon.titan-embed-text-v1", "Amazon", { output: ["EMBEDDING"] }),
    foundation(region, "amazon.titan-embed-text-v2:0", "Amazon", { output: ["EMBEDDING"] }),
    foundation(region, "amazon.titan-embed-image-v1", "Amazon", { input: ["TEXT", "IMAGE"], output: ["EMBEDDING"] }),
    foundation(region, "amazon.nova-2-multimodal-embeddings-v1:0", "Amazon", {
      input: ["TEXT", "IMAGE", "AUDIO", "VIDEO"],
      output: ["EMBEDDING"],
    }),
    foundation(region, "cohere.embed-english-v3", "Cohere", { output: ["EMBEDDING"] }),
    foundation(region, "cohere.embed-multilingual-v3", "Cohere", { output: ["EMBEDDING"] }),
    foundation(region, "cohere.embed-v4:0", "Cohere", { input: ["TEXT", "IMAGE"], output: ["EMBEDDING"] }),
    foundation(region, "amazon.nova-lite-v1:0", "Amazon", {
      input: ["TEXT", "IMAGE", "VIDEO"],
      inference: ["ON_DEMAND", "INFERENCE_PROFILE"],
    }),
    foundation(region, "amazon.nova-2-lite-v1:0", "Amazon", {
      input: ["TEXT", "IMAGE", "VIDEO"],
      inference: ["INFERENCE_PROFILE"],
    }),
    foundation(region, "meta.llama3-8b-instruct-v1:0", "Meta"),
    foundation(region, "mistral.mistral-large-2402-v1:0", "Mistral AI"),
    foundation(region, "cohere.command-r-v1:0", "Cohere"),
    foundation(region, "deepseek.r1-v1:0", "DeepSeek", { inference: ["INFERENCE_PROFILE"] }),
    foundation(region, "stability.stable-image-core-v1:1", "Stability AI", { output: ["IMAGE"] }),
  ];
}

function profile(
  region: string,
  id: string,
  modelId: string,
  type: FakeInferenceProfile["type"],
): FakeInferenceProfile {
  const kind = type === "APPLICATION" ? "application-inference-profile" : "inference-profile";
  return {
    inferenceProfileName: type === "APPLICATION" ? "team-a-nova" : `US ${modelId}`,
    description: `Routes requests to ${modelId}`,
    createdAt: "2024-08-30T06:40:00.000Z",
    updatedAt: "2024-08-30T06:40:00.000Z",
    inferenceProfileArn: `arn:aws:bedrock:${region}:${FAKE_ACCOUNT}:${kind}/${id}`,
    models: ["us-east-1", "us-west-2"].map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${modelId}` })),
    inferenceProfileId: id,
    status: "ACTIVE",
    type,
  };
}

export function fakeInferenceProfiles(region: string): FakeInferenceProfile[] {
  return [
    profile(
      region,
      "us.anthropic.claude-sonnet-4-20250514-v1:0",
      "anthropic.claude-sonnet-4-20250514-v1:0",
      "SYSTEM_DEFINED",
    ),
    profile(
      region,
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "anthropic.claude-sonnet-4-5-20250929-v1:0",
      "SYSTEM_DEFINED",
    ),
    profile(
      region,
      "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      "anthropic.claude-haiku-4-5-20251001-v1:0",
      "SYSTEM_DEFINED",
    ),
    profile(region, "us.amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", "SYSTEM_DEFINED"),
    profile(region, "us.amazon.nova-2-lite-v1:0", "amazon.nova-2-lite-v1:0", "SYSTEM_DEFINED"),
    profile(region, "us.deepseek.r1-v1:0", "deepseek.r1-v1:0", "SYSTEM_DEFINED"),
    profile(region, "fake0app0profile", "amazon.nova-lite-v1:0", "APPLICATION"),
  ];
}

/**
 * The foundation model an id, inference-profile id or ARN stands for, as
 * Bedrock resolves it; undefined for ids it does not know.
 */
export function resolveFakeModel(region: string, id: string): FakeFoundationModel | undefined {
  const models = fakeFoundationModels(region);
  const byId = (modelId: string) => models.find((model) => model.modelId === modelId);
  const profiles = fakeInferenceProfiles(region);
  const fromProfile = (found: FakeInferenceProfile | undefined) => {
    const arn = found?.models[0]?.modelArn ?? "";
    return byId(arn.slice(arn.indexOf("/") + 1));
  };
  if (id.startsWith("arn:")) {
    const model = models.find((candidate) => candidate.modelArn === id);
    if (model) return model;
    return fromProfile(profiles.find((candidate) => candidate.inferenceProfileArn === id));
  }
  return byId(id) ?? fromProfile(profiles.find((candidate) => candidate.inferenceProfileId === id));
}

/**
 * What each model can do beyond plain chat, as AWS documents it (user guide
 * pages: extended thinking, `structured-output`, `prompt-caching`, the
 * Converse API's supported-features table; Nova 2's `extended-thinking`).
 * Kept apart from the listing shapes, which have no such fields.
 */
export interface FakeModelFeatures {
  /** Claude's extended thinking (`thinking` / `additionalModelRequestFields.thinking`). */
  thinking?: boolean;
  /** Nova 2's `reasoningConfig`. */
  reasoningEffort?: boolean;
  /** Reasons in every answer, without being asked (DeepSeek-R1). */
  alwaysReasons?: boolean;
  /** Structured output: `output_config.format`, `outputConfig.textFormat`, strict tools. */
  structuredOutput?: boolean;
  /** Prompt caching, and the longest TTL. */
  cache?: "5m" | "1h";
  /** Takes temperature or top_p, not both (Claude Sonnet 4.5, Haiku 4.5). */
  temperatureOrTopP?: boolean;
  /** Tool use, and which tool choices beyond `auto`. */
  tools?: "auto" | "any-and-tool";
  /** What the model reads from Converse's additionalModelRequestFields for top_k. */
  topK?: "top_k" | "inferenceConfig.topK" | "k";
}

const FEATURES: Record<string, FakeModelFeatures> = {
  "anthropic.claude-3-5-sonnet-20240620-v1:0": { tools: "any-and-tool", topK: "top_k" },
  "anthropic.claude-3-haiku-20240307-v1:0": { tools: "any-and-tool", topK: "top_k" },
  "anthropic.claude-sonnet-4-20250514-v1:0": { thinking: true, cache: "5m", tools: "any-and-tool", topK: "top_k" },
  "anthropic.claude-sonnet-4-5-20250929-v1:0": {
    thinking: true,
    structuredOutput: true,
    cache: "1h",
    temperatureOrTopP: true,
    tools: "any-and-tool",
    topK: "top_k",
  },
  "anthropic.claude-haiku-4-5-20251001-v1:0": {
    thinking: true,
    cache: "1h",
    temperatureOrTopP: true,
    tools: "any-and-tool",
    topK: "top_k",
  },
  "amazon.nova-lite-v1:0": { cache: "5m", tools: "any-and-tool", topK: "inferenceConfig.topK" },
  "amazon.nova-2-lite-v1:0": {
    reasoningEffort: true,
    cache: "5m",
    tools: "any-and-tool",
    topK: "inferenceConfig.topK",
  },
  "meta.llama3-8b-instruct-v1:0": {},
  "mistral.mistral-large-2402-v1:0": { tools: "auto", topK: "top_k" },
  "cohere.command-r-v1:0": { tools: "auto", topK: "k" },
  "deepseek.r1-v1:0": { alwaysReasons: true },
};

/** What a model can do; a model the table does not name does nothing beyond chat. */
export function featuresOf(model: FakeFoundationModel): FakeModelFeatures {
  return FEATURES[model.modelId] ?? {};
}
