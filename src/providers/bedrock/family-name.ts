/** How messages name each Bedrock family: "'x' is not supported for <family>: ...". */
export const CLAUDE_FAMILY = "Claude models on Bedrock";
export const CONVERSE_FAMILY = "Bedrock models";
export const TITAN_FAMILY = "Titan text models";

export type FamilyName = typeof CLAUDE_FAMILY | typeof CONVERSE_FAMILY | typeof TITAN_FAMILY;
