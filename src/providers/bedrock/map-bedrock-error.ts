import {
  APIConnectionError,
  AuthenticationError,
  CanceledError,
  ConfigurationError,
  type GatewayError,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../core/errors.js";
import { redactSecrets } from "../../core/redact-secrets.js";

/** What the mapping needs to know of a Bedrock failure, however it arrived. */
export interface BedrockFailure {
  /**
   * The error's name: the `x-amzn-errortype` shape (`ThrottlingException`,
   * possibly with its `:http://...` namespace), an exception frame's
   * `:exception-type` (`throttlingException`) or an error frame's `:error-code`.
   */
  name: string;
  message: string;
  /** The HTTP status of an error answer; undefined for a failure inside a 200 stream. */
  status?: number | undefined;
  /** ModelErrorException / ModelStreamErrorException: the model's own status and message. */
  originalStatusCode?: number | undefined;
  originalMessage?: string | undefined;
  /** The model the call named, for the message of a 404. */
  modelId?: string | undefined;
}

type Build = (message: string, failure: BedrockFailure) => GatewayError;

// Unmodeled 403s: the server's own AWS credentials or signature were refused.
const CREDENTIAL_REFUSALS = [
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignatureException",
  "ExpiredTokenException",
  "ExpiredToken",
  "MissingAuthenticationTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
];

const refusedCredentials: Build = (message) =>
  new AuthenticationError(`Bedrock refused the server's AWS credentials: ${message}`, {
    code: "upstream_authentication",
  });

/**
 * Bedrock's errors and our classes (DESIGN.md's table; wire/mapping.md §11).
 * The caller's request is at fault only for ValidationException; the rest
 * describe the upstream, its quotas or the server's own AWS identity.
 */
const BY_NAME: Record<string, Build> = {
  ValidationException: (message) => new InvalidRequestError(`Bedrock rejected the request: ${message}`),
  AccessDeniedException: (message) => new PermissionDeniedError(`Bedrock denied access: ${message}`),
  ResourceNotFoundException: (message, failure) =>
    new ModelNotFoundError(
      failure.modelId
        ? `The model '${failure.modelId}' was not found on Bedrock: ${message}`
        : `Not found on Bedrock: ${message}`,
      { param: "model" },
    ),
  ThrottlingException: (message) => new RateLimitError(`Bedrock is throttling requests: ${message}`),
  ServiceQuotaExceededException: (message) =>
    new RateLimitError(`Bedrock quota exceeded: ${message}`, { code: "insufficient_quota" }),
  ModelTimeoutException: (message) => new TimeoutError(`The Bedrock model timed out: ${message}`),
  ModelNotReadyException: (message) => new ServiceUnavailableError(`The Bedrock model is not ready: ${message}`),
  ServiceUnavailableException: (message) => new ServiceUnavailableError(`Bedrock is unavailable: ${message}`),
  InternalServerException: (message) => new UpstreamError(`Bedrock failed: ${message}`),
  ModelErrorException: (message, failure) =>
    new UpstreamError(`The Bedrock model failed${statusNote(failure)}: ${message}`),
  ModelStreamErrorException: (message, failure) =>
    new UpstreamError(
      `The Bedrock model failed while streaming${statusNote(failure)}: ${failure.originalMessage ? redactSecrets(failure.originalMessage) : message}`,
    ),
  ...Object.fromEntries(CREDENTIAL_REFUSALS.map((name) => [name, refusedCredentials])),
};

function statusNote(failure: BedrockFailure): string {
  return failure.originalStatusCode === undefined ? "" : ` (model status ${failure.originalStatusCode})`;
}

/**
 * The bare shape name: `ThrottlingException:http://internal...` and
 * `com.amazon...#ThrottlingException` become `ThrottlingException`; a stream's
 * lowerCamel `throttlingException` too.
 */
export function bedrockErrorName(raw: string): string {
  const bare = raw.split(",")[0]?.split(":")[0]?.split("#").at(-1)?.trim() ?? "";
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

function byStatus(status: number | undefined, message: string): GatewayError {
  switch (true) {
    case status === 400 || status === 413 || status === 422:
      return new InvalidRequestError(`Bedrock rejected the request: ${message}`);
    case status === 401 || status === 403:
      return refusedCredentials(message, { name: "", message });
    case status === 404:
      return new ModelNotFoundError(`Not found on Bedrock: ${message}`, { param: "model" });
    case status === 408 || status === 504:
      return new TimeoutError(`Bedrock timed out: ${message}`);
    case status === 429:
      return new RateLimitError(`Bedrock is throttling requests: ${message}`);
    case status === 503:
      return new ServiceUnavailableError(`Bedrock is unavailable: ${message}`);
    case status === undefined:
      return new UpstreamError(`Bedrock failed while streaming: ${message}`);
    default:
      return new UpstreamError(`Bedrock failed with status ${status}: ${message}`);
  }
}

/** Maps a Bedrock error answer or in-stream exception to the gateway's error of the same meaning. */
export function mapBedrockError(failure: BedrockFailure): GatewayError {
  const message = redactSecrets(failure.message.trim() || "no message");
  const build = BY_NAME[bedrockErrorName(failure.name)];
  return build ? build(message, failure) : byStatus(failure.status, message);
}

export function connectionFailed(cause: unknown): GatewayError {
  return new APIConnectionError("Could not reach Bedrock.", { cause });
}

export function timedOut(cause?: unknown): GatewayError {
  return new TimeoutError("Bedrock did not answer in time.", { cause });
}

export function canceled(cause?: unknown): GatewayError {
  return new CanceledError("The request was cancelled by the caller.", { cause });
}

/** The server could not obtain AWS credentials or a Bedrock API key. */
export function credentialsUnavailable(message: string): GatewayError {
  return new ConfigurationError(`Bedrock credentials could not be loaded: ${redactSecrets(message)}`, {
    code: "upstream_credentials",
  });
}

/** The upstream answered something this server cannot read. */
export function unreadableAnswer(what: string): GatewayError {
  return new UpstreamError(`Bedrock sent an answer this server cannot read: ${what}.`);
}
