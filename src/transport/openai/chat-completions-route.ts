import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { CallContext, ChatService } from "../../core/chat-service.js";
import { CanceledError, GatewayError, toGatewayError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { readTargetFormat } from "../../formats/target-format.js";
import { clientGoneSignal, type NodeRequest, type NodeResponse, requestUrl, sendJson } from "../http/node-http.js";
import { readJsonBody } from "../http/read-json-body.js";
import { noteFailure } from "../request-failure.js";
import { type AnswerFormat, answerFormat } from "./answer-formats.js";
import { readChatBody } from "./read-chat-body.js";
import { SseWriter } from "./sse-writer.js";
import type { StreamEncoder } from "./stream-encoder.js";

export interface ChatRouteDeps {
  chat: ChatService;
  logger: Logger;
  maxBodyBytes: number;
}

/**
 * `POST /v1/chat/completions`: unary JSON, or SSE when the caller asks for a
 * stream. The body may be OpenAI's, Bedrock Claude's or Titan's; the answer,
 * and every failure after `target_format` is read, comes in the shape
 * `?target_format=` names (OpenAI's by default).
 */
export async function handleChatCompletions(
  request: NodeRequest,
  response: NodeResponse,
  deps: ChatRouteDeps,
): Promise<void> {
  const query = requestUrl(request).searchParams;
  const format = answerFormat(readTargetFormat(query.get("target_format")));
  try {
    await answer(request, response, deps, query, format);
  } catch (failure) {
    if (response.headersSent) throw failure;
    noteFailure(response, failure);
    if (!(failure instanceof GatewayError)) deps.logger.error({ err: failure }, "request failed");
    const { status, headers, body } = format.failure(failure);
    sendJson(response, status, body, headers);
  }
}

async function answer(
  request: NodeRequest,
  response: NodeResponse,
  deps: ChatRouteDeps,
  query: URLSearchParams,
  format: AnswerFormat,
): Promise<void> {
  const signal = clientGoneSignal(response, () => new CanceledError("The client closed the connection."));
  const read = readChatBody(await readJsonBody(request, deps.maxBodyBytes), query);
  const { request: chatRequest, stream } = read;
  deps.logger.debug({ format: read.format, targetFormat: format.target, stream }, "chat request read");
  format.prepare(chatRequest, stream);
  const context: CallContext = { protocol: "openai_http", signal, logger: deps.logger };
  if (!stream) {
    sendJson(response, 200, format.unary(await deps.chat.createChatCompletion(chatRequest, context)));
    return;
  }
  const encoder = format.encoder(chatRequest);
  await sendStream(deps.chat.streamChatCompletion(chatRequest, context), encoder, response, signal, deps.logger);
}

/**
 * Sends a stream of chunks as SSE. The first chunk is awaited before any
 * header goes out, so a request that fails at once (unknown model, upstream
 * 429) still gets its proper HTTP status; a later failure ends the stream
 * with the encoder's error event.
 */
export async function sendStream(
  chunks: AsyncGenerator<ChatCompletionChunk>,
  encoder: StreamEncoder,
  response: NodeResponse,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  const first = await chunks.next();
  const sse = new SseWriter(response, signal);
  sse.start();
  try {
    for (let next = first; !next.done; next = await chunks.next()) {
      await sse.send(encoder.chunk(next.value));
      if (signal.aborted) return;
    }
    await sse.send(encoder.end());
  } catch (failure) {
    if (signal.aborted) return;
    const error = toGatewayError(failure);
    noteFailure(response, error);
    logger.warn({ err: error }, "stream failed after it started");
    await sse.send(encoder.error(error));
  } finally {
    sse.end();
    await chunks.return(undefined);
  }
}
