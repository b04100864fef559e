import { type GatewayError, ServiceUnavailableError } from "../../core/errors.js";
import type { AnthropicErrorEvent } from "../../wire/anthropic-messages.js";
import { messageNamingParam } from "../shared/error-message.js";

const TYPES_BY_STATUS: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  504: "timeout_error",
};

/** Anthropic's error type for a gateway error (the inverse of the Claude provider's reading). */
export function anthropicErrorType(error: GatewayError): string {
  if (error.code === "request_too_large") return "request_too_large";
  if (error instanceof ServiceUnavailableError) return "overloaded_error";
  return TYPES_BY_STATUS[error.httpStatus] ?? "api_error";
}

/** A gateway error as Anthropic's error object: the body of an error answer and of a stream's `error` event. */
export function toAnthropicError(error: GatewayError): AnthropicErrorEvent {
  return { type: "error", error: { type: anthropicErrorType(error), message: messageNamingParam(error) } };
}
