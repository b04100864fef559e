import {
  APIConnectionError,
  AuthenticationError,
  CanceledError,
  type GatewayError,
  type GatewayErrorOptions,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../core/errors.js";
import { redactSecrets } from "../../core/redact-secrets.js";

/** The parts of an OpenAI error answer the mapping reads. */
export interface OpenAIErrorAnswer {
  /** HTTP status; undefined for an error event inside a 200 stream. */
  status: number | undefined;
  /** The body's `error` object. */
  error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } | undefined;
  retryAfter?: string | null | undefined;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  // Otherwise only an HTTP date (RFC 9110: "Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone takes "-5" too.
  if (!/GMT\s*$/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Maps an OpenAI error answer to the gateway's error of the same meaning. */
export function mapOpenAIErrorAnswer(answer: OpenAIErrorAnswer): GatewayError {
  const upstreamMessage = redactSecrets(text(answer.error?.message) ?? "no message");
  const retryAfter = retryAfterSeconds(answer.retryAfter);
  const options: GatewayErrorOptions = {
    code: text(answer.error?.code),
    param: text(answer.error?.param),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  };
  const status = answer.status;
  switch (true) {
    case status === undefined:
      return new UpstreamError(`OpenAI failed while streaming: ${upstreamMessage}`, options);
    case status === 401:
      // The caller's key was fine; the server's own OpenAI key was refused.
      return new AuthenticationError("OpenAI refused the server's OPENAI_API_KEY.", {
        code: "upstream_authentication",
      });
    case status === 403:
      return new PermissionDeniedError(`OpenAI denied access: ${upstreamMessage}`, options);
    case status === 404:
      return new ModelNotFoundError(upstreamMessage, { ...options, code: options.code ?? "model_not_found" });
    case status === 429:
      return new RateLimitError(upstreamMessage, { ...options, code: options.code ?? "rate_limit_exceeded" });
    case status === 503:
      return new ServiceUnavailableError(`OpenAI is unavailable: ${upstreamMessage}`, options);
    case status === 504 || status === 408:
      return new TimeoutError(`OpenAI timed out: ${upstreamMessage}`, options);
    case status !== undefined && status >= 400 && status < 500:
      return new InvalidRequestError(upstreamMessage, options);
    default:
      return new UpstreamError(`OpenAI failed with status ${status}: ${upstreamMessage}`, options);
  }
}

export function connectionFailed(cause: unknown): GatewayError {
  return new APIConnectionError("Could not reach OpenAI.", { cause });
}

export function timedOut(cause: unknown): GatewayError {
  return new TimeoutError("OpenAI did not answer in time.", { cause });
}

export function canceled(cause: unknown): GatewayError {
  return new CanceledError("The request was cancelled by the caller.", { cause });
}
