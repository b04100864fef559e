import type { FailureReader } from "../../core/errors.js";
import type { RetryPolicy } from "./retry-policy.js";

/** One call to an upstream, as an exchange describes it to `run` or `relay`. */
export interface UpstreamCall {
  /** The upstream's name in messages: "OpenAI", "Bedrock". */
  upstream: string;
  /** The model the call is for, when it is for one (for the retry's log line). */
  model?: string | undefined;
  /**
   * UPSTREAM_TIMEOUT_MS: the longest the upstream may keep us waiting, for
   * its answer to begin or for a stream's next event. Time our own reader
   * spends on an event does not count, so a stream that keeps flowing is
   * never cut.
   */
  idleTimeoutMs: number;
  /** The caller's signal: when it fires, the upstream call is aborted, and so is a wait for a retry. */
  signal: AbortSignal;
  /** Reads the upstream's own failures (its SDK's errors, its error answers); anything else is a fault of this server. */
  readFailure: FailureReader;
  /** UPSTREAM_RETRIES; without it every attempt is the only one. */
  retry?: RetryPolicy | undefined;
}
