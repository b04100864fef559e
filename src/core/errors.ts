import { Code } from "@connectrpc/connect";

/**
 * The one error hierarchy. Every failure the server reports is one of these;
 * each class knows its HTTP status, its gRPC code (Connect's `Code`, the
 * numbers of the gRPC spec) and OpenAI's error `type`, and the transports
 * turn it into their wire shape only at the edge.
 */

export interface GatewayErrorOptions {
  /** OpenAI's machine-readable `code`, e.g. `model_not_found`. */
  code?: string | null;
  /** The request field at fault, in OpenAI's notation (`messages.[0].role`). */
  param?: string | null;
  /** Seconds the caller should wait before retrying. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** Reads a failure it knows (an SDK's error, an upstream's answer) as a GatewayError; undefined for any other. */
export type FailureReader = (reason: unknown) => GatewayError | undefined;

export abstract class GatewayError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly grpcCode: Code;
  /** OpenAI's error `type`. */
  abstract readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /**
   * The one way a thrown value becomes a GatewayError: a GatewayError is
   * itself; `read` (a provider's reader of its upstream's failures) may
   * recognize it; anything else escaped every mapping, which is a bug, and
   * reaches callers as a generic internal error without its (possibly
   * sensitive) text.
   */
  static from(reason: unknown, read?: FailureReader): GatewayError {
    if (reason instanceof GatewayError) return reason;
    return read?.(reason) ?? new InternalError("The server failed to process the request.", { cause: reason });
  }
}

/** The constructor every concrete class has. */
export type GatewayErrorClass = new (message: string, options?: GatewayErrorOptions) => GatewayError;

export class InvalidRequestError extends GatewayError {
  readonly httpStatus = 400;
  readonly grpcCode = Code.InvalidArgument;
  readonly type = "invalid_request_error";
}

/** A request larger than the server takes (a body or RPC message over MAX_BODY_BYTES), or than the upstream does. */
export class RequestTooLargeError extends GatewayError {
  readonly httpStatus = 413;
  readonly grpcCode = Code.ResourceExhausted;
  readonly type = "invalid_request_error";
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? "request_too_large" });
  }
}

export class AuthenticationError extends GatewayError {
  readonly httpStatus = 401;
  readonly grpcCode = Code.Unauthenticated;
  // OpenAI answers a bad key with this type and code `invalid_api_key`.
  readonly type = "invalid_request_error";
}

export class PermissionDeniedError extends GatewayError {
  readonly httpStatus = 403;
  readonly grpcCode = Code.PermissionDenied;
  readonly type = "permission_error";
}

export class ModelNotFoundError extends GatewayError {
  readonly httpStatus = 404;
  readonly grpcCode = Code.NotFound;
  readonly type = "invalid_request_error";
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? "model_not_found" });
  }
}

export class RateLimitError extends GatewayError {
  readonly httpStatus = 429;
  readonly grpcCode = Code.ResourceExhausted;
  readonly type = "rate_limit_error";
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? "rate_limit_exceeded" });
  }
}

export class ConfigurationError extends GatewayError {
  readonly httpStatus = 503;
  readonly grpcCode = Code.FailedPrecondition;
  readonly type = "configuration_error";
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? "provider_not_configured" });
  }
}

export class APIConnectionError extends GatewayError {
  readonly httpStatus = 502;
  readonly grpcCode = Code.Unavailable;
  readonly type = "api_connection_error";
}

export class ServiceUnavailableError extends GatewayError {
  readonly httpStatus = 503;
  readonly grpcCode = Code.Unavailable;
  readonly type = "service_unavailable_error";
}

export class TimeoutError extends GatewayError {
  readonly httpStatus = 504;
  readonly grpcCode = Code.DeadlineExceeded;
  readonly type = "timeout_error";
}

export class UpstreamError extends GatewayError {
  readonly httpStatus = 502;
  readonly grpcCode = Code.Internal;
  readonly type = "upstream_error";
}

/** The caller went away or cancelled; nobody reads this answer. */
export class CanceledError extends GatewayError {
  readonly httpStatus = 499;
  readonly grpcCode = Code.Canceled;
  readonly type = "canceled";
}

/** A fault of this server itself: a bug, never an upstream's answer. */
export class InternalError extends GatewayError {
  readonly httpStatus = 500;
  readonly grpcCode = Code.Internal;
  readonly type = "server_error";
}

/** No route at this URL (HTTP); gRPC answers an unknown method with UNIMPLEMENTED. */
export class RouteNotFoundError extends GatewayError {
  readonly httpStatus = 404;
  readonly grpcCode = Code.Unimplemented;
  readonly type = "invalid_request_error";
}

/** A route at this URL, but not for this method. */
export class MethodNotAllowedError extends GatewayError {
  readonly httpStatus = 405;
  readonly grpcCode = Code.Unimplemented;
  readonly type = "invalid_request_error";
}

/** The caller cancelled or left before the answer was complete. */
export function canceled(cause?: unknown, message = "The request was cancelled by the caller."): CanceledError {
  return new CanceledError(message, { cause });
}
