import type { GatewayError } from "../../../core/errors.js";
import { connectionFailed, timedOut, unreadableAnswer } from "../../upstream/upstream-failures.js";
import { BEDROCK } from "../bedrock-exchange.js";
import { credentialsUnavailable, mapBedrockError } from "./map-bedrock-error.js";

// Thrown by the SDK's credential and token providers.
const CREDENTIAL_ERRORS = ["CredentialsProviderError", "TokenProviderError", "ProviderError"];
// Faults of this server's own code: not read here, so they are reported as internal errors.
const PROGRAM_ERRORS = ["TypeError", "RangeError", "ReferenceError", "SyntaxError"];
const NETWORK_CODE = /^(E[A-Z]{2,}|ERR_HTTP2_|ERR_STREAM_|ERR_SOCKET_)/;

interface SdkErrorFields {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  originalStatusCode?: unknown;
  originalMessage?: unknown;
}

/** The `message` of a payload the SDK could not match to a modeled exception (raw JSON text). */
export function messageOf(text: string): string {
  if (!text.startsWith("{")) return text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown; Message?: unknown };
    const message = parsed.message ?? parsed.Message;
    return typeof message === "string" ? message : text;
  } catch {
    return text;
  }
}

/**
 * Reads what the SDK threw: a service error (HTTP answer or in-stream
 * exception), a credentials failure, a network failure; a fault of this
 * program is left unread. The SDK's error object itself is not kept: it
 * holds the raw response, which must not reach logs.
 */
export function readBedrockSdkFailure(error: unknown, modelId?: string): GatewayError | undefined {
  if (!(error instanceof Error)) return unreadableAnswer(BEDROCK, String(error));
  const fields = error as Error & SdkErrorFields;
  const status = typeof fields.$metadata?.httpStatusCode === "number" ? fields.$metadata.httpStatusCode : undefined;
  if (CREDENTIAL_ERRORS.includes(error.name)) return credentialsUnavailable(error.message);
  if (status === undefined) {
    if (PROGRAM_ERRORS.includes(error.name)) return undefined;
    if (typeof fields.code === "string" && NETWORK_CODE.test(fields.code)) {
      return connectionFailed(BEDROCK, new Error(`${fields.code}: ${error.message}`));
    }
    if (error.name === "TimeoutError") return timedOut(BEDROCK);
    if (/protocol error|stream is abnormally aborted|socket hang up/i.test(error.message)) {
      return connectionFailed(BEDROCK, new Error(error.message));
    }
  }
  return mapBedrockError({
    name: error.name,
    message: messageOf(error.message),
    status,
    originalStatusCode: typeof fields.originalStatusCode === "number" ? fields.originalStatusCode : undefined,
    originalMessage: typeof fields.originalMessage === "string" ? fields.originalMessage : undefined,
    modelId,
  });
}
