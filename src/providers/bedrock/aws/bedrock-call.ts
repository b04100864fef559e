import type { FailureReader } from "../../../core/errors.js";
import type { RetryPolicy } from "../../upstream/retry-policy.js";
import type { UpstreamCall } from "../../upstream/upstream-call.js";
import { BEDROCK } from "../bedrock-exchange.js";

export interface BedrockExchangeOptions {
  /** UPSTREAM_TIMEOUT_MS: the longest Bedrock may keep us waiting for an answer to begin or a stream's next event. */
  timeoutMs: number;
  /** UPSTREAM_RETRIES; none without it. */
  retry?: RetryPolicy | undefined;
}

/** A call to Bedrock, for `run` or `relay`. */
export function bedrockCall(
  options: BedrockExchangeOptions,
  signal: AbortSignal,
  readFailure: FailureReader,
  modelId?: string,
): UpstreamCall {
  return {
    upstream: BEDROCK,
    model: modelId,
    idleTimeoutMs: options.timeoutMs,
    signal,
    readFailure,
    retry: options.retry,
  };
}
