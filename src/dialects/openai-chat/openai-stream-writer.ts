import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { GatewayError } from "../../core/errors.js";
import type { SseEvent } from "../../transport/http/sse-writer.js";
import { errorJson } from "./error-body.js";
import { chatCompletionChunkJson } from "./to-openai-json.js";

/** Turns a stream of canonical chunks into one wire format's SSE events. */
export interface StreamEncoder {
  chunk(chunk: ChatCompletionChunk): SseEvent[];
  /** Events after the last chunk. */
  end(): SseEvent[];
  /** Events that report a failure after the stream began. */
  error(error: GatewayError): SseEvent[];
}

/** OpenAI's framing: a `data:` line per chunk, `data: [DONE]` at the end. */
export function openAIStreamEncoder(includeUsage: boolean): StreamEncoder {
  return {
    chunk: (chunk) => [{ data: chatCompletionChunkJson(chunk, includeUsage) }],
    end: () => [{ data: "[DONE]" }],
    // As OpenAI: an `error` object in a data line, and no [DONE] after it.
    error: (error) => [{ data: errorJson(error) }],
  };
}
