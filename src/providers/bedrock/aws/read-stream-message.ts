import type { Message } from "@smithy/eventstream-codec";
import { BEDROCK_STREAM_EXCEPTION_TYPES } from "../../../wire/bedrock-runtime.js";
import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import { BEDROCK } from "../bedrock-exchange.js";
import { type BedrockFailure, mapBedrockError } from "./map-bedrock-error.js";
import { messageOf } from "./read-sdk-error.js";

/** An event of a Bedrock stream: its `:event-type` and its payload, not yet read. */
export interface StreamEvent {
  type: string;
  body: Uint8Array;
}

/** The exceptions each stream models, by `:exception-type` (the SDK's union members). */
export const INVOKE_STREAM_EXCEPTIONS: readonly string[] = BEDROCK_STREAM_EXCEPTION_TYPES;
export const CONVERSE_STREAM_EXCEPTIONS: readonly string[] = INVOKE_STREAM_EXCEPTIONS.filter(
  (name) => name !== "modelTimeoutException",
);

const decoder = new TextDecoder();

function header(message: Message, name: string): string | undefined {
  const value = message.headers[name];
  return value?.type === "string" ? value.value : undefined;
}

function jsonPayload(body: Uint8Array, what: string): Record<string, unknown> {
  if (body.byteLength === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(body));
  } catch {
    throw unreadableAnswer(BEDROCK, `${what} is not JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw unreadableAnswer(BEDROCK, `${what} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * A modeled exception reads its message and, for modelStreamErrorException,
 * the model's own status and message; an exception the operation does not
 * model keeps its payload text as the message.
 */
function exceptionFailure(message: Message, modeled: readonly string[], modelId: string): BedrockFailure {
  const name = header(message, ":exception-type") ?? "Error";
  if (!modeled.includes(name)) return { name, message: messageOf(decoder.decode(message.body)), modelId };
  const payload = jsonPayload(message.body, `the ${name} of a stream`);
  return {
    name,
    message: messageOf(typeof payload.message === "string" ? payload.message : "Unknown"),
    ...(typeof payload.originalStatusCode === "number" ? { originalStatusCode: payload.originalStatusCode } : {}),
    ...(typeof payload.originalMessage === "string" ? { originalMessage: payload.originalMessage } : {}),
    modelId,
  };
}

/** The JSON payload of an event the caller knows, without the `p` padding AWS adds to hide token sizes. */
export function eventPayload(event: StreamEvent): Record<string, unknown> {
  const { p: _padding, ...payload } = jsonPayload(event.body, `a streamed ${event.type || "event"}`);
  return payload;
}

/**
 * Reads one event-stream message the way the SDK's unmarshaller does: an
 * `event` is answered as it is (the caller reads the types it knows and
 * skips the others); an `exception` or an `error` message is thrown as the
 * mapped error, with no HTTP status since the stream itself was a 200.
 */
export function readStreamMessage(message: Message, modeled: readonly string[], modelId: string): StreamEvent {
  const kind = header(message, ":message-type");
  if (kind === "event") return { type: header(message, ":event-type") ?? "", body: message.body };
  if (kind === "exception") throw mapBedrockError(exceptionFailure(message, modeled, modelId));
  if (kind === "error") {
    throw mapBedrockError({
      name: header(message, ":error-code") ?? "Error",
      message: messageOf(header(message, ":error-message") || "UnknownError"),
      modelId,
    });
  }
  throw mapBedrockError({ name: "Error", message: `Unrecognizable event type: ${header(message, ":event-type")}` });
}
