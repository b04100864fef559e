export type ModelFamily = "claude" | "titan" | "converse";

// `<vendor>.<model>` behind an optional geography (`us.`, `eu.`, `apac.`, `global.`, ...).
const CLAUDE = /^(?:[a-z-]+\.)?anthropic\.claude/;
const TITAN_TEXT = /^(?:[a-z-]+\.)?amazon\.titan-(?:text|tg1)/;

/**
 * The model id an id or ARN reveals: an ARN of a foundation model or a
 * system-defined inference profile ends in it; other ARNs (application
 * inference profiles, provisioned models) reveal nothing.
 */
export function revealedModelId(modelId: string): string {
  if (!modelId.startsWith("arn:")) return modelId;
  const resource = /:(?:foundation-model|inference-profile)\/(.+)$/.exec(modelId);
  return resource?.[1] ?? "";
}

/**
 * Which body a model takes: Claude the Anthropic Messages body on
 * InvokeModel, Titan text its own body, every other model (and any id that
 * does not reveal its model) the Converse API, which every chat model speaks.
 */
export function modelFamily(modelId: string): ModelFamily {
  const id = revealedModelId(modelId);
  if (CLAUDE.test(id)) return "claude";
  if (TITAN_TEXT.test(id)) return "titan";
  return "converse";
}
