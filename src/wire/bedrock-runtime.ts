/**
 * What Bedrock Runtime adds around every model's own format: the
 * invocation metrics it appends to the last event of an invoke stream.
 * Sources: test/fixtures/wire/bedrock/{http_rest.md, eventstream_format.md}.
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
