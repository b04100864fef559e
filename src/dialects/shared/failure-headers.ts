import type { GatewayError } from "../../core/errors.js";

/**
 * The headers of a failure answer in every dialect: when to try again, and
 * whether to (the OpenAI and Anthropic SDKs both honour `x-should-retry`).
 */
export function failureHeaders(error: GatewayError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.ceil(error.retryAfterSeconds));
  // Permanent failures: not worth retrying.
  if (error.httpStatus === 503 && error.type === "configuration_error") headers["x-should-retry"] = "false";
  return headers;
}
