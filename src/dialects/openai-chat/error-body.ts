import { GatewayError } from "../../core/errors.js";
import { redactSecrets } from "../../core/redact-secrets.js";
import type { ErrorAnswer } from "../dialect.js";
import { failureHeaders } from "../shared/failure-headers.js";

/** OpenAI's error object. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** OpenAI's `{"error": {...}}` object for a gateway error. */
export function errorJson(error: GatewayError): OpenAIErrorBody {
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
export function errorAnswer(failure: unknown): ErrorAnswer<OpenAIErrorBody> {
  const error = GatewayError.from(failure);
  return { status: error.httpStatus, headers: failureHeaders(error), body: errorJson(error) };
}
