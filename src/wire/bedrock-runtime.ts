/**
 * Wire shapes Bedrock Runtime adds around every model's own format:
 * the invocation metrics it appends to the last streamed event, the
 * envelope of InvokeModelWithResponseStream chunks, and its error bodies.
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

/**
 * The payload of an InvokeModelWithResponseStream `chunk` event: the model's
 * own JSON event, base64-encoded, plus a random-length padding `p` that hides
 * token sizes and that readers ignore.
 */
export interface BedrockPayloadPart {
  bytes: string;
  p?: string;
}

/** Event-stream header values Bedrock Runtime sends. */
export const EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

/** The body of every Bedrock Runtime error answer (status + `x-amzn-errortype` name the error). */
export interface BedrockErrorBody {
  message: string;
  /** ModelErrorException and ModelStreamErrorException: the model's own status. */
  originalStatusCode?: number;
  /** ModelStreamErrorException: the model's own message. */
  originalMessage?: string;
  /** ModelErrorException: the resource that failed. */
  resourceName?: string;
}

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

export type BedrockStreamExceptionType = (typeof BEDROCK_STREAM_EXCEPTION_TYPES)[number];
