import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";

/** Claude requires max_tokens; every Claude model on Bedrock can produce this many. */
export const CLAUDE_DEFAULT_MAX_TOKENS = 4096;

/** The most tokens the caller lets the model write: `max_completion_tokens`, OpenAI's newer name, before `max_tokens`. */
export function maxTokensOf(request: ChatCompletionRequest): number | undefined {
  return request.maxCompletionTokens ?? request.maxTokens;
}

/** The caller's stop sequences without the empty ones every Bedrock family refuses; undefined when none are left. */
export function stopSequencesOf(request: ChatCompletionRequest): string[] | undefined {
  const stops = request.stop.filter((stop) => stop !== "");
  return stops.length > 0 ? stops : undefined;
}
