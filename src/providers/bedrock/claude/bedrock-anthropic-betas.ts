/**
 * The `anthropic-beta` flags Bedrock's Claude takes in the body's
 * `anthropic_beta`, each with the flags it becomes there. Anthropic's
 * `advanced-tool-use` is tool search and tool examples on Bedrock; a flag
 * not in this table (Claude Code's `claude-code-20250219`, the Files API,
 * prompt-caching scopes, web search ...) is left out, as Bedrock answers a
 * flag it does not know with a 400. Source: the Bedrock user guide's Claude
 * request parameters (`anthropic_beta`) and its tool-use pages.
 */
export const BEDROCK_ANTHROPIC_BETAS: Readonly<Record<string, readonly string[]>> = {
  "computer-use-2024-10-22": ["computer-use-2024-10-22"],
  "computer-use-2025-01-24": ["computer-use-2025-01-24"],
  "computer-use-2025-11-24": ["computer-use-2025-11-24"],
  "token-efficient-tools-2025-02-19": ["token-efficient-tools-2025-02-19"],
  "fine-grained-tool-streaming-2025-05-14": ["fine-grained-tool-streaming-2025-05-14"],
  "interleaved-thinking-2025-05-14": ["interleaved-thinking-2025-05-14"],
  "output-128k-2025-02-19": ["output-128k-2025-02-19"],
  "dev-full-thinking-2025-05-14": ["dev-full-thinking-2025-05-14"],
  "context-1m-2025-08-07": ["context-1m-2025-08-07"],
  "context-management-2025-06-27": ["context-management-2025-06-27"],
  "effort-2025-11-24": ["effort-2025-11-24"],
  "tool-search-tool-2025-10-19": ["tool-search-tool-2025-10-19"],
  "tool-examples-2025-10-29": ["tool-examples-2025-10-29"],
  "advanced-tool-use-2025-11-20": ["tool-search-tool-2025-10-19", "tool-examples-2025-10-29"],
  "compact-2026-01-12": ["compact-2026-01-12"],
};

/** The flags Bedrock takes for the caller's, in the caller's order, each once. */
export function bedrockBetas(flags: Iterable<string>): string[] {
  const taken = new Set<string>();
  for (const flag of flags) {
    const name = flag.trim();
    if (!Object.hasOwn(BEDROCK_ANTHROPIC_BETAS, name)) continue;
    for (const bedrock of BEDROCK_ANTHROPIC_BETAS[name] ?? []) taken.add(bedrock);
  }
  return [...taken];
}
