import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ChatService } from "../../core/chat-service.js";
import { CanceledError, toGatewayError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { clientGoneSignal, type NodeRequest, type NodeResponse, sendJson } from "../http/node-http.js";
import { readJsonBody } from "../http/read-json-body.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { SseWriter } from "./sse-writer.js";
import { openAIStreamEncoder, type StreamEncoder } from "./stream-encoder.js";
import { chatCompletionJson } from "./to-openai-json.js";

export interface ChatRouteDeps {
  chat: ChatService;
  logger: Logger;
  maxBodyBytes: number;
}

/** `POST /v1/chat/completions`: unary JSON, or SSE when `stream: true`. */
export async function handleChatCompletions(
  request: NodeRequest,
  response: NodeResponse,
  deps: ChatRouteDeps,
): Promise<void> {
  const signal = clientGoneSignal(response, () => new CanceledError("The client closed the connection."));
  const { request: chatRequest, stream } = parseChatRequest(await readJsonBody(request, deps.maxBodyBytes));
  const context = { signal, logger: deps.logger };
  if (!stream) {
    const answer = await deps.chat.createChatCompletion(chatRequest, context);
    sendJson(response, 200, chatCompletionJson(answer));
    return;
  }
  const encoder = openAIStreamEncoder(chatRequest.streamOptions?.includeUsage === true);
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
    logger.warn({ err: error }, "stream failed after it started");
    await sse.send(encoder.error(error));
  } finally {
    sse.end();
    await chunks.return(undefined);
  }
}
