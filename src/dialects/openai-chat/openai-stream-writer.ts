import type { StreamWriter } from "../dialect.js";
import { errorJson } from "./error-body.js";
import { chatCompletionChunkJson } from "./to-openai-json.js";

/** OpenAI's framing: a `data:` line per chunk, `data: [DONE]` at the end. */
export function openAIStreamWriter(includeUsage: boolean): StreamWriter {
  return {
    chunk: (chunk) => [{ data: chatCompletionChunkJson(chunk, includeUsage) }],
    end: () => [{ data: "[DONE]" }],
    // As OpenAI: an `error` object in a data line, and no [DONE] after it.
    error: (error) => [{ data: errorJson(error) }],
  };
}
