import type { ChatCompletionChunk, ChatCompletionResponse } from "../../gen/openbedrock/v1/chat_pb.js";
import type { GatewayError } from "../core/errors.js";

/** One event of a streamed answer: its SSE event name, if the format names events, and its JSON data. */
export interface WireEvent {
  event?: string;
  data: unknown;
}

/** Turns one stream of canonical chunks into a format's events; one per stream. */
export interface ForeignStream {
  chunk(chunk: ChatCompletionChunk): WireEvent[];
  /** Events after the last chunk. */
  end(): WireEvent[];
  /** Events that report a failure after the stream began. */
  error(error: GatewayError): WireEvent[];
}

/** How a foreign format gives answers and failures; the HTTP status stays the error's own. */
export interface ForeignAnswers {
  unary(response: ChatCompletionResponse): unknown;
  stream(): ForeignStream;
  error(error: GatewayError): { headers: Record<string, string>; body: unknown };
}
