import { GatewayError } from "../../core/errors.js";
import {
  type BedrockFailure,
  connectionFailed,
  credentialsUnavailable,
  mapBedrockError,
  timedOut,
  unreadableAnswer,
} from "./map-bedrock-error.js";

export type DescribedError = { kind: "bedrock"; failure: BedrockFailure } | { kind: "error"; error: Error };

// Thrown by the SDK's credential and token providers.
const CREDENTIAL_ERRORS = ["CredentialsProviderError", "TokenProviderError", "ProviderError"];
// Faults of this server's own code, reported as they are (the core makes them internal errors).
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
 * exception), a credentials failure, a network failure, or a fault of this
 * program. The SDK's error object itself is not kept: it holds the raw
 * response, which must not reach logs.
 */
export function describeSdkError(error: unknown, modelId?: string): DescribedError {
  if (error instanceof GatewayError) return { kind: "error", error };
  if (!(error instanceof Error)) return { kind: "error", error: unreadableAnswer(String(error)) };
  const fields = error as Error & SdkErrorFields;
  const status = typeof fields.$metadata?.httpStatusCode === "number" ? fields.$metadata.httpStatusCode : undefined;
  if (CREDENTIAL_ERRORS.includes(error.name)) return { kind: "error", error: credentialsUnavailable(error.message) };
  if (status === undefined) {
    if (PROGRAM_ERRORS.includes(error.name)) return { kind: "error", error };
    if (typeof fields.code === "string" && NETWORK_CODE.test(fields.code)) {
      return { kind: "error", error: connectionFailed(new Error(`${fields.code}: ${error.message}`)) };
    }
    if (error.name === "TimeoutError") return { kind: "error", error: timedOut() };
    if (/protocol error|stream is abnormally aborted|socket hang up/i.test(error.message)) {
      return { kind: "error", error: connectionFailed(new Error(error.message)) };
    }
  }
  return {
    kind: "bedrock",
    failure: {
      name: error.name,
      message: messageOf(error.message),
      status,
      originalStatusCode: typeof fields.originalStatusCode === "number" ? fields.originalStatusCode : undefined,
      originalMessage: typeof fields.originalMessage === "string" ? fields.originalMessage : undefined,
      modelId,
    },
  };
}

/** What the SDK threw, as the error this server reports. */
export function sdkFailure(error: unknown, modelId?: string): GatewayError | Error {
  const described = describeSdkError(error, modelId);
  return described.kind === "bedrock" ? mapBedrockError(described.failure) : described.error;
}
