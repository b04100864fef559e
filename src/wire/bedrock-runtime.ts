/**
 * What Bedrock Runtime adds around every model's own format: the
 * invocation metrics it appends to the last event of an invoke stream, and
 * the errors it answers with (by name, and inside event streams).
 * Sources: test/fixtures/wire/bedrock/{http_rest.md, eventstream_format.md, errors.json}.
 */

/** `amazon-bedrock-invocationMetrics`, added by Bedrock to the last event of an invoke stream. */
export interface BedrockInvocationMetrics {
  inputTokenCount: number;
  outputTokenCount: number;
  /** Milliseconds from request to last byte. */
  invocationLatency: number;
  /** Milliseconds from request to first byte. */
  firstByteLatency: number;
  /** Present for models that cache prompts. */
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

export const INVOCATION_METRICS_KEY = "amazon-bedrock-invocationMetrics";

/** The errors Bedrock Runtime models, with the HTTP status each is sent with. */
export const BEDROCK_ERROR_STATUS = {
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
} as const;

export type BedrockErrorName = keyof typeof BEDROCK_ERROR_STATUS;

/**
 * Errors that arrive inside a 200 event stream, by their `:exception-type`
 * header (the lowerCamel union member name).
 */
export const BEDROCK_STREAM_EXCEPTION_TYPES = [
  "internalServerException",
  "modelStreamErrorException",
  "modelTimeoutException",
  "serviceUnavailableException",
  "throttlingException",
  "validationException",
] as const;
