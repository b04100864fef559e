import type { FailureReader } from "../../core/errors.js";

/** One call to an upstream, as an exchange describes it to `run` or `relay`. */
export interface UpstreamCall {
  /** The upstream's name in messages: "OpenAI", "Bedrock". */
  upstream: string;
  /**
   * UPSTREAM_TIMEOUT_MS: the longest the upstream may keep us waiting, for
   * its answer to begin or for a stream's next event. Time our own reader
   * spends on an event does not count, so a stream that keeps flowing is
   * never cut.
   */
  idleTimeoutMs: number;
  /** The caller's signal: when it fires, the upstream call is aborted. */
  signal: AbortSignal;
  /** Reads the upstream's own failures (its SDK's errors, its error answers); anything else is a fault of this server. */
  readFailure: FailureReader;
}
