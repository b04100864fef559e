import { GatewayError } from "../../core/errors.js";
import { redactSecrets } from "../../core/redact-secrets.js";

export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

/** OpenAI's `{"error": {...}}` object for a gateway error. */
export function errorJson(error: GatewayError): ErrorAnswer["body"] {
  return {
    error: {
      message: redactSecrets(error.message),
      type: error.type,
      param: error.param,
      code: error.code,
    },
  };
}

/** The whole HTTP answer for a failure: OpenAI's status, headers and body. */
export function errorAnswer(failure: unknown): ErrorAnswer {
  const error = GatewayError.from(failure);
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.ceil(error.retryAfterSeconds));
  // Permanent failures: tell the OpenAI SDK not to retry them.
  if (error.httpStatus === 503 && error.type === "configuration_error") headers["x-should-retry"] = "false";
  return { status: error.httpStatus, headers, body: errorJson(error) };
}
