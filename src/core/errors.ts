/**
 * The one error hierarchy. Every failure the server reports is one of these;
 * each class knows its HTTP status, its gRPC code and OpenAI's error `type`,
 * and the transports turn it into their wire shape only at the edge.
 */

/** gRPC status codes (the numbers are fixed by the gRPC spec). */
export const GrpcCode = {
  Canceled: 1,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

export interface GatewayErrorOptions {
  /** OpenAI's machine-readable `code`, e.g. `model_not_found`. */
  code?: string | null;
  /** The request field at fault, in OpenAI's notation (`messages.[0].role`). */
  param?: string | null;
  /** Seconds the caller should wait before retrying. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export abstract class GatewayError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly grpcCode: GrpcCode;
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
}

export class InvalidRequestError extends GatewayError {
  readonly httpStatus = 400;
  readonly grpcCode = GrpcCode.InvalidArgument;
  readonly type = "invalid_request_error";
}

export class AuthenticationError extends GatewayError {
  readonly httpStatus = 401;
  readonly grpcCode = GrpcCode.Unauthenticated;
  // OpenAI answers a bad key with this type and code `invalid_api_key`.
  readonly type = "invalid_request_error";
}

export class PermissionDeniedError extends GatewayError {
  readonly httpStatus = 403;
  readonly grpcCode = GrpcCode.PermissionDenied;
  readonly type = "permission_error";
}

export class ModelNotFoundError extends GatewayError {
  readonly httpStatus = 404;
  readonly grpcCode = GrpcCode.NotFound;
  readonly type = "invalid_request_error";
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, { code: "model_not_found", ...options });
  }
}

export class RateLimitError extends GatewayError {
  readonly httpStatus = 429;
  readonly grpcCode = GrpcCode.ResourceExhausted;
  readonly type = "rate_limit_error";
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, { code: "rate_limit_exceeded", ...options });
  }
}

export class ConfigurationError extends GatewayError {
  readonly httpStatus = 503;
  readonly grpcCode = GrpcCode.FailedPrecondition;
  readonly type = "configuration_error";
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(message, { code: "provider_not_configured", ...options });
  }
}

export class APIConnectionError extends GatewayError {
  readonly httpStatus = 502;
  readonly grpcCode = GrpcCode.Unavailable;
  readonly type = "api_connection_error";
}

export class ServiceUnavailableError extends GatewayError {
  readonly httpStatus = 503;
  readonly grpcCode = GrpcCode.Unavailable;
  readonly type = "service_unavailable_error";
}

export class TimeoutError extends GatewayError {
  readonly httpStatus = 504;
  readonly grpcCode = GrpcCode.DeadlineExceeded;
  readonly type = "timeout_error";
}

export class UpstreamError extends GatewayError {
  readonly httpStatus = 502;
  readonly grpcCode = GrpcCode.Internal;
  readonly type = "upstream_error";
}

/** The caller went away or cancelled; nobody reads this answer. */
export class CanceledError extends GatewayError {
  readonly httpStatus = 499;
  readonly grpcCode = GrpcCode.Canceled;
  readonly type = "canceled";
}

/** A fault of this server itself: a bug, never an upstream's answer. */
export class InternalError extends GatewayError {
  readonly httpStatus = 500;
  readonly grpcCode = GrpcCode.Internal;
  readonly type = "server_error";
}

/**
 * Anything that escaped the providers' error mapping is a bug; it reaches
 * callers as a generic internal error without its (possibly sensitive) text.
 */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new InternalError("The server failed to process the request.", { cause: error });
}
