import {
  type GatewayError,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  ServiceUnavailableError,
  UpstreamError,
} from "../../../core/errors.js";
import { redactSecrets } from "../../../core/redact-secrets.js";
import type { AnthropicErrorEvent, AnthropicErrorType } from "../../../wire/anthropic-messages.js";

const BY_TYPE: Record<AnthropicErrorType, (message: string) => GatewayError> = {
  invalid_request_error: (message) => new InvalidRequestError(`Claude rejected the request: ${message}`),
  request_too_large: (message) => new RequestTooLargeError(`Claude rejected the request as too large: ${message}`),
  authentication_error: (message) => new UpstreamError(`Claude refused the call: ${message}`),
  permission_error: (message) => new PermissionDeniedError(`Claude denied access: ${message}`),
  not_found_error: (message) => new ModelNotFoundError(`Claude: ${message}`),
  rate_limit_error: (message) => new RateLimitError(`Claude is rate limited: ${message}`),
  overloaded_error: (message) => new ServiceUnavailableError(`Claude is overloaded: ${message}`),
  api_error: (message) => new UpstreamError(`Claude failed: ${message}`),
};

/** An Anthropic `error` event inside a stream, as the gateway's error of the same meaning. */
export function mapClaudeErrorEvent(event: AnthropicErrorEvent): GatewayError {
  const message = redactSecrets(event.error?.message || "no message");
  const build = BY_TYPE[event.error?.type as AnthropicErrorType];
  return build ? build(message) : new UpstreamError(`Claude failed while streaming: ${message}`);
}
