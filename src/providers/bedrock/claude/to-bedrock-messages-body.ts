import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { ANTHROPIC_BEDROCK_VERSION } from "../../../wire/anthropic-messages.js";
import { bedrockBetas } from "./bedrock-anthropic-betas.js";

/**
 * Fields of Anthropic's Messages body that Bedrock's Claude refuses, each
 * with why it is left out: Bedrock has the model in the path and streaming
 * as its own operation, and no place for Anthropic's own service controls.
 */
export const FIELDS_LEFT_OUT: Readonly<Record<string, string>> = {
  model: "Bedrock names the model in the path",
  stream: "streaming is InvokeModelWithResponseStream",
  service_tier: "Anthropic's own capacity tiers",
  container: "Anthropic's code-execution containers",
  inference_geo: "Anthropic's own data residency; Bedrock's is the inference profile",
  speed: "Anthropic's fast mode",
};

/** Fields written here rather than copied: the version, the beta flags, the metadata. */
const OWN_FIELDS = new Set(["anthropic_version", "anthropic_beta", "metadata"]);

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/**
 * An Anthropic Messages body as Bedrock's Claude takes it on InvokeModel:
 * `anthropic_version` set to Bedrock's, the fields Bedrock refuses left
 * out, `metadata` with only its `user_id`, and the caller's beta flags (the
 * header's and the body's own) as the `anthropic_beta` Bedrock accepts.
 * Everything else goes as the caller wrote it.
 */
export function toBedrockMessagesBody(body: JsonObject, headerBetas: readonly string[]): JsonObject {
  // Built as own properties, so a key such as `__proto__` stays a key for Bedrock to judge.
  const bedrock: JsonObject = Object.fromEntries([
    ["anthropic_version", ANTHROPIC_BEDROCK_VERSION],
    ...Object.entries(body).filter(([key]) => !Object.hasOwn(FIELDS_LEFT_OUT, key) && !OWN_FIELDS.has(key)),
  ]);
  const metadata = body.metadata;
  if (typeof metadata === "object" && metadata !== null && !Array.isArray(metadata)) {
    const userId = metadata.user_id;
    if (typeof userId === "string") bedrock.metadata = { user_id: userId };
  }
  const betas = bedrockBetas([...headerBetas, ...strings(body.anthropic_beta)]);
  if (betas.length > 0) bedrock.anthropic_beta = betas;
  return bedrock;
}
