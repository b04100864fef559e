import type { ModelNameTable } from "./model-routes.js";

/**
 * Anthropic's public model names (what Claude Code and the Anthropic SDKs
 * send) and the Bedrock foundation model each one is. A name resolves to
 * the cross-region inference profile of the server's geography
 * (`us.anthropic.claude-sonnet-4-5-20250929-v1:0` in us-east-1), which is
 * how Bedrock serves current Claude models on demand.
 * Sources: Anthropic's models overview (names and aliases) and the Bedrock
 * user guide's model ids and inference profiles.
 */
export const ANTHROPIC_MODEL_NAMES: Readonly<Record<string, string>> = {
  "claude-opus-4-7": "anthropic.claude-opus-4-7",
  "claude-opus-4-6": "anthropic.claude-opus-4-6-v1",
  "claude-sonnet-4-6": "anthropic.claude-sonnet-4-6",
  "claude-opus-4-5-20251101": "anthropic.claude-opus-4-5-20251101-v1:0",
  "claude-opus-4-5": "anthropic.claude-opus-4-5-20251101-v1:0",
  "claude-haiku-4-5-20251001": "anthropic.claude-haiku-4-5-20251001-v1:0",
  "claude-haiku-4-5": "anthropic.claude-haiku-4-5-20251001-v1:0",
  "claude-sonnet-4-5-20250929": "anthropic.claude-sonnet-4-5-20250929-v1:0",
  "claude-sonnet-4-5": "anthropic.claude-sonnet-4-5-20250929-v1:0",
  "claude-opus-4-1-20250805": "anthropic.claude-opus-4-1-20250805-v1:0",
  "claude-opus-4-1": "anthropic.claude-opus-4-1-20250805-v1:0",
  "claude-opus-4-20250514": "anthropic.claude-opus-4-20250514-v1:0",
  "claude-opus-4-0": "anthropic.claude-opus-4-20250514-v1:0",
  "claude-4-opus-20250514": "anthropic.claude-opus-4-20250514-v1:0",
  "claude-sonnet-4-20250514": "anthropic.claude-sonnet-4-20250514-v1:0",
  "claude-sonnet-4-0": "anthropic.claude-sonnet-4-20250514-v1:0",
  "claude-4-sonnet-20250514": "anthropic.claude-sonnet-4-20250514-v1:0",
  "claude-3-7-sonnet-20250219": "anthropic.claude-3-7-sonnet-20250219-v1:0",
  "claude-3-7-sonnet-latest": "anthropic.claude-3-7-sonnet-20250219-v1:0",
  "claude-3-5-sonnet-20241022": "anthropic.claude-3-5-sonnet-20241022-v2:0",
  "claude-3-5-sonnet-latest": "anthropic.claude-3-5-sonnet-20241022-v2:0",
  "claude-3-5-sonnet-20240620": "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "claude-3-5-haiku-20241022": "anthropic.claude-3-5-haiku-20241022-v1:0",
  "claude-3-5-haiku-latest": "anthropic.claude-3-5-haiku-20241022-v1:0",
  "claude-3-opus-20240229": "anthropic.claude-3-opus-20240229-v1:0",
  "claude-3-opus-latest": "anthropic.claude-3-opus-20240229-v1:0",
  "claude-3-haiku-20240307": "anthropic.claude-3-haiku-20240307-v1:0",
};

/**
 * The inference-profile geography of an AWS region: the prefix Bedrock's
 * cross-region profiles carry there. Regions outside these geographies use
 * the global profiles.
 */
export function claudeGeography(region: string): string {
  if (region.startsWith("us-gov-")) return "us-gov";
  if (/^(us|ca)-/.test(region)) return "us";
  if (region.startsWith("eu-")) return "eu";
  if (region.startsWith("ap-")) return "apac";
  return "global";
}

/**
 * Anthropic's model names for one geography, as the table of a front door's
 * public names: each stands for the Bedrock inference profile it is there
 * (`bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0`). Other names are
 * not the table's and route as on every route; the models file's
 * `anthropic_models` override the table.
 */
export function anthropicModelNames(geography: string): ModelNameTable {
  return (name) => {
    // Own keys only: a name such as `constructor` is no model.
    const foundation = Object.hasOwn(ANTHROPIC_MODEL_NAMES, name) ? ANTHROPIC_MODEL_NAMES[name] : undefined;
    return foundation === undefined ? undefined : `bedrock/${geography}.${foundation}`;
  };
}
