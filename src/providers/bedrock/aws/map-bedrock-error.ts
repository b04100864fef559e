import {
  AuthenticationError,
  ConfigurationError,
  type GatewayError,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../../core/errors.js";
import { redactSecrets } from "../../../core/redact-secrets.js";
import { BEDROCK_ERROR_STATUS, type BedrockErrorName } from "../../../wire/bedrock-runtime.js";
import { fromUpstreamStatus, type UpstreamWording } from "../../upstream/upstream-failures.js";
import { BEDROCK } from "../bedrock-exchange.js";

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

const refusedCredentials = (message: string) => `Bedrock refused the server's AWS credentials: ${message}`;

/**
 * Bedrock's modeled errors and our classes (DESIGN.md's table; wire/mapping.md §11).
 * The caller's request is at fault only for ValidationException; the rest
 * describe the upstream, its quotas or the server's own AWS identity.
 */
const BY_NAME: Record<BedrockErrorName, Build> = {
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
};

// Unmodeled 403s: the server's own AWS credentials or signature were refused.
const CREDENTIAL_REFUSALS: readonly string[] = [
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignatureException",
  "ExpiredTokenException",
  "ExpiredToken",
  "MissingAuthenticationTokenException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
];

function statusNote(failure: BedrockFailure): string {
  return failure.originalStatusCode === undefined ? "" : ` (model status ${failure.originalStatusCode})`;
}

function isModeled(name: string): name is BedrockErrorName {
  return Object.hasOwn(BEDROCK_ERROR_STATUS, name);
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

const bedrockWording: UpstreamWording = (Class, { message }) =>
  Class === AuthenticationError ? refusedCredentials(message) : undefined;

/** Maps a Bedrock error answer or in-stream exception to the gateway's error of the same meaning. */
export function mapBedrockError(failure: BedrockFailure): GatewayError {
  const message = redactSecrets(failure.message.trim() || "no message");
  const name = bedrockErrorName(failure.name);
  if (isModeled(name)) return BY_NAME[name](message, failure);
  if (CREDENTIAL_REFUSALS.includes(name)) {
    return new AuthenticationError(refusedCredentials(message), { code: "upstream_authentication" });
  }
  // A name this server does not know: its status says what it means.
  const options = failure.status === 404 ? { param: "model" } : {};
  return fromUpstreamStatus(BEDROCK, { status: failure.status, message, options }, bedrockWording);
}

/** The server could not obtain AWS credentials or a Bedrock API key. */
export function credentialsUnavailable(message: string): ConfigurationError {
  return new ConfigurationError(`Bedrock credentials could not be loaded: ${redactSecrets(message)}`, {
    code: "upstream_credentials",
  });
}
