import type { GatewayError } from "../../core/errors.js";
import type { AnthropicErrorEvent, AnthropicMessage } from "../../wire/anthropic-messages.js";
import type { Dialect, StreamEvent, StreamWriter } from "../dialect.js";
import { readBedrockQuery } from "../shared/bedrock-query.js";
import { failureHeaders } from "../shared/failure-headers.js";
import { framedStream } from "../shared/framed-stream.js";
import { prepareBedrockAnswer } from "../shared/prepare-bedrock-answer.js";
import { fromAnthropicRequest } from "./from-anthropic-request.js";
import { toAnthropicError } from "./to-anthropic-error.js";
import { toAnthropicResponse } from "./to-anthropic-response.js";
import { AnthropicStreamEvents } from "./to-anthropic-stream-events.js";

/**
 * Anthropic Messages, as Bedrock takes it for Claude models: requests read
 * from the InvokeModel body (the model and streaming may come from the
 * query), answers in Anthropic's Messages shape, streams as Anthropic's SSE
 * (every event named by its type), failures as Anthropic's error object (an
 * `error` event in streams).
 */
/** A failure in the middle of a stream, as Anthropic sends it: an `error` event. */
export const anthropicErrorEvent = (error: GatewayError): StreamEvent => ({
  event: "error",
  data: toAnthropicError(error),
});

/** Canonical chunks as Anthropic's events, each named by its type. */
export function anthropicStreamWriter(): StreamWriter {
  return framedStream(new AnthropicStreamEvents(), (data) => ({ event: data.type, data }), anthropicErrorEvent);
}

export const anthropicMessages: Dialect<AnthropicMessage, AnthropicErrorEvent> = {
  readRequest: (body, { query }) => fromAnthropicRequest(body, readBedrockQuery(query)),
  prepareAnswer: (request, stream) =>
    prepareBedrockAnswer(request, stream, "a Claude-format answer (target_format=bedrock_claude)"),
  writeAnswer: toAnthropicResponse,
  writeStream: () => anthropicStreamWriter(),
  writeError: (error) => ({ status: error.httpStatus, headers: failureHeaders(error), body: toAnthropicError(error) }),
};
