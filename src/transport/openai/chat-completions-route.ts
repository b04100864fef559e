import { startCallTiming } from "../../core/call-timing.js";
import type { CallContext, ChatService } from "../../core/chat-service.js";
import { CanceledError, GatewayError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { Dialect } from "../../dialects/dialect.js";
import { DIALECTS } from "../../dialects/dialects.js";
import { readChatBody } from "../../dialects/read-chat-body.js";
import { readTargetFormat, type TargetFormat } from "../../dialects/shared/target-format.js";
import { clientGoneSignal, type NodeRequest, type NodeResponse, requestUrl, sendJson } from "../http/node-http.js";
import { readJsonBody } from "../http/read-json-body.js";
import { sendStream } from "../http/send-stream.js";
import { noteFailure } from "../request-failure.js";
import { targetHeaderOn } from "../target-header.js";

export interface ChatRouteDeps {
  chat: ChatService;
  logger: Logger;
  maxBodyBytes: number;
}

/**
 * `POST /v1/chat/completions`: unary JSON, or SSE when the caller asks for a
 * stream. The body may be in any dialect the route reads (OpenAI's, Bedrock
 * Claude's or Titan's); the answer, and every failure after `target_format`
 * is read, comes in the dialect `?target_format=` names (OpenAI's by default).
 */
export async function handleChatCompletions(
  request: NodeRequest,
  response: NodeResponse,
  deps: ChatRouteDeps,
): Promise<void> {
  const query = requestUrl(request).searchParams;
  const target = readTargetFormat(query.get("target_format"));
  const answering = DIALECTS[target];
  try {
    await answer(request, response, deps, query, target, answering);
  } catch (failure) {
    if (response.headersSent) throw failure;
    noteFailure(response, failure);
    if (!(failure instanceof GatewayError)) deps.logger.error({ err: failure }, "request failed");
    const { status, headers, body } = answering.writeError(GatewayError.from(failure));
    sendJson(response, status, body, headers);
  }
}

async function answer(
  request: NodeRequest,
  response: NodeResponse,
  deps: ChatRouteDeps,
  query: URLSearchParams,
  target: TargetFormat,
  answering: Dialect,
): Promise<void> {
  const signal = clientGoneSignal(response, () => new CanceledError("The client closed the connection."));
  const body = await readJsonBody(request, deps.maxBodyBytes);
  // From the whole request read: the time the client takes to send it is not the gateway's.
  const timing = startCallTiming(signal);
  const read = readChatBody(body, { query });
  const { request: chatRequest, stream } = read;
  deps.logger.debug({ format: read.format, targetFormat: target, stream }, "chat request read");
  answering.prepareAnswer(chatRequest, stream);
  const context: CallContext = {
    protocol: "openai_http",
    signal,
    logger: deps.logger,
    onTarget: targetHeaderOn(response),
  };
  if (!stream) {
    const answer = answering.writeAnswer(await deps.chat.createChatCompletion(chatRequest, context));
    sendJson(response, 200, answer, { "server-timing": timing.serverTiming() });
    return;
  }
  const writer = answering.writeStream(chatRequest);
  await sendStream(deps.chat.streamChatCompletion(chatRequest, context), writer, response, signal, deps.logger, timing);
}
