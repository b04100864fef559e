import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../gen/openbedrock/v1/chat_pb.js";
import type { GatewayError } from "../core/errors.js";

/** A caller's request read into the canonical one, and whether the caller wants a stream. */
export interface IncomingRequest {
  request: ChatCompletionRequest;
  stream: boolean;
}

/** What a route knows of a request besides its body. */
export interface RequestContext {
  /** The URL's query parameters: Bedrock bodies, which have no place for them, take the model and streaming here. */
  query: URLSearchParams;
}

/** One event of a streamed answer: its name, when the dialect names events, and its data (JSON, or raw text). */
export interface StreamEvent {
  event?: string;
  data: unknown;
}

/** Writes one streamed answer as a dialect's events; made per stream, as it keeps state between chunks. */
export interface StreamWriter<Item = ChatCompletionChunk> {
  chunk(chunk: Item): StreamEvent[];
  /** Events after the last chunk. */
  end(): StreamEvent[];
  /** Events that report a failure after the stream began. */
  error(error: GatewayError): StreamEvent[];
}

/** A failure as a dialect answers it over HTTP. */
export interface ErrorAnswer<Body = unknown> {
  status: number;
  headers: Record<string, string>;
  body: Body;
}

/**
 * One way a caller can speak: how its requests read into the canonical
 * request, and how answers, streams and failures are written back in its
 * shape. Routes pick a dialect; the core sees only the canonical messages.
 */
export interface Dialect<Answer = unknown, ErrorBody = unknown> {
  /** Reads a request body in this dialect, refusing wrong fields with their path. */
  readRequest(body: unknown, context: RequestContext): IncomingRequest;
  /**
   * Readies a request for an answer in this dialect, before anything goes
   * upstream: refuses what the answer cannot carry, asks for what it needs.
   */
  prepareAnswer(request: ChatCompletionRequest, stream: boolean): void;
  writeAnswer(response: ChatCompletionResponse): Answer;
  writeStream(request: ChatCompletionRequest): StreamWriter;
  writeError(error: GatewayError): ErrorAnswer<ErrorBody>;
}
