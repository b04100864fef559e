import { type CallTiming, startCallTiming } from "../../core/call-timing.js";
import type { CallContext } from "../../core/chat-service.js";
import { CanceledError, GatewayError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { MessagesRequest, MessagesService } from "../../core/messages-service.js";
import { anthropicMessages } from "../../dialects/anthropic-messages/anthropic-messages-dialect.js";
import { estimateInputTokens } from "../../dialects/anthropic-messages/estimate-input-tokens.js";
import {
  canonicalMessagesStream,
  messagesToCanonical,
  nativeMessagesStream,
  readBetaHeader,
  readMessagesApiBody,
} from "../../dialects/anthropic-messages/messages-api.js";
import { clientGoneSignal, type NodeRequest, type NodeResponse, sendJson } from "../http/node-http.js";
import { readJsonBody } from "../http/read-json-body.js";
import { sendStream } from "../http/send-stream.js";
import { noteFailure } from "../request-failure.js";
import { targetHeaderOn } from "../target-header.js";

export interface MessagesRouteDeps {
  messages: MessagesService;
  logger: Logger;
  maxBodyBytes: number;
}

/** A failure before anything was sent, in Anthropic's error shape; after that, the SSE `error` event says it. */
async function answeringErrors(
  response: NodeResponse,
  deps: MessagesRouteDeps,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (failure) {
    if (response.headersSent) throw failure;
    noteFailure(response, failure);
    if (!(failure instanceof GatewayError)) deps.logger.error({ err: failure }, "request failed");
    const { status, headers, body } = anthropicMessages.writeError(GatewayError.from(failure));
    sendJson(response, status, body, headers);
  }
}

async function readRequest(
  request: NodeRequest,
  response: NodeResponse,
  deps: MessagesRouteDeps,
): Promise<{ messages: MessagesRequest; stream: boolean; context: CallContext; timing: CallTiming }> {
  const signal = clientGoneSignal(response, () => new CanceledError("The client closed the connection."));
  const json = await readJsonBody(request, deps.maxBodyBytes);
  // From the whole request read: the time the client takes to send it is not the gateway's.
  const timing = startCallTiming(signal);
  const { body, model, stream } = readMessagesApiBody(json);
  const betas = readBetaHeader(request.headers["anthropic-beta"]);
  deps.logger.debug({ model, stream, betas }, "messages request read");
  return {
    messages: {
      body,
      model,
      betas,
      canonical: () => messagesToCanonical(body),
      estimateTokens: () => estimateInputTokens(body),
    },
    stream,
    context: { protocol: "anthropic_http", signal, logger: deps.logger, onTarget: targetHeaderOn(response) },
    timing,
  };
}

/**
 * `POST /v1/messages`: Anthropic's Messages API, unary JSON or SSE as
 * Anthropic frames it. Claude on Bedrock answers in its own words; other
 * models' canonical answers are written in Anthropic's shape.
 */
export function handleMessages(request: NodeRequest, response: NodeResponse, deps: MessagesRouteDeps): Promise<void> {
  return answeringErrors(response, deps, async () => {
    const { messages, stream, context, timing } = await readRequest(request, response, deps);
    if (!stream) {
      const answer = await deps.messages.createMessage(messages, context);
      const body = "native" in answer ? answer.native : anthropicMessages.writeAnswer(answer.canonical);
      sendJson(response, 200, body, { "server-timing": timing.serverTiming() });
      return;
    }
    const streamed = await deps.messages.streamMessage(messages, context);
    const { signal } = context;
    if ("native" in streamed) {
      await sendStream(streamed.native, nativeMessagesStream(), response, signal, deps.logger, timing);
    } else {
      await sendStream(streamed.canonical, canonicalMessagesStream(), response, signal, deps.logger, timing);
    }
  });
}

/** `POST /v1/messages/count_tokens`: `{"input_tokens": N}`, by Bedrock's count for Claude, else the estimate. */
export function handleCountTokens(
  request: NodeRequest,
  response: NodeResponse,
  deps: MessagesRouteDeps,
): Promise<void> {
  return answeringErrors(response, deps, async () => {
    const { messages, context, timing } = await readRequest(request, response, deps);
    const inputTokens = await deps.messages.countTokens(messages, context);
    sendJson(response, 200, { input_tokens: inputTokens }, { "server-timing": timing.serverTiming() });
  });
}
