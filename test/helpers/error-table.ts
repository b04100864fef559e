import { Code } from "@connectrpc/connect";
import {
  APIConnectionError,
  AuthenticationError,
  CanceledError,
  ConfigurationError,
  type GatewayError,
  type GatewayErrorOptions,
  InternalError,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../src/core/errors.js";

export type ErrorClass = new (message: string, options?: GatewayErrorOptions) => GatewayError;

/**
 * The error table of the design (HTTP status, gRPC code), plus OpenAI's
 * `type` and the default `code` of each class.
 */
export const ERROR_TABLE: [ErrorClass, http: number, grpc: number, type: string, code: string | null][] = [
  [InvalidRequestError, 400, Code.InvalidArgument, "invalid_request_error", null],
  [RequestTooLargeError, 413, Code.ResourceExhausted, "invalid_request_error", "request_too_large"],
  [AuthenticationError, 401, Code.Unauthenticated, "invalid_request_error", null],
  [PermissionDeniedError, 403, Code.PermissionDenied, "permission_error", null],
  [ModelNotFoundError, 404, Code.NotFound, "invalid_request_error", "model_not_found"],
  [RateLimitError, 429, Code.ResourceExhausted, "rate_limit_error", "rate_limit_exceeded"],
  [ConfigurationError, 503, Code.FailedPrecondition, "configuration_error", "provider_not_configured"],
  [APIConnectionError, 502, Code.Unavailable, "api_connection_error", null],
  [ServiceUnavailableError, 503, Code.Unavailable, "service_unavailable_error", null],
  [TimeoutError, 504, Code.DeadlineExceeded, "timeout_error", null],
  [UpstreamError, 502, Code.Internal, "upstream_error", null],
  [CanceledError, 499, Code.Canceled, "canceled", null],
  [InternalError, 500, Code.Internal, "server_error", null],
];
