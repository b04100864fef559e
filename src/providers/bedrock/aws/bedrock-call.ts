import type { FailureReader } from "../../../core/errors.js";
import type { UpstreamCall } from "../../upstream/upstream-call.js";
import { BEDROCK } from "../bedrock-exchange.js";

export interface BedrockExchangeOptions {
  /** UPSTREAM_TIMEOUT_MS: the longest Bedrock may keep us waiting for an answer to begin or a stream's next event. */
  timeoutMs: number;
}

/** A call to Bedrock, for `run` or `relay`. */
export function bedrockCall(
  options: BedrockExchangeOptions,
  signal: AbortSignal,
  readFailure: FailureReader,
): UpstreamCall {
  return { upstream: BEDROCK, idleTimeoutMs: options.timeoutMs, signal, readFailure };
}
