import {
  APIConnectionError,
  canceled,
  type GatewayError,
  RateLimitError,
  ServiceUnavailableError,
} from "../../core/errors.js";

/** The longest `retry-after` waited for; a longer one ends the retries in place (another target may answer sooner). */
export const MAX_RETRY_AFTER_SECONDS = 10;
/** The ceiling of the first backoff; it doubles for each further retry, up to MAX_BACKOFF_MS. */
export const BACKOFF_BASE_MS = 250;
export const MAX_BACKOFF_MS = 10_000;

/** A retry about to be made, for logs and metrics. */
export interface RetryNotice {
  /** The upstream's name in messages: "OpenAI", "Bedrock". */
  upstream: string;
  /** The model the call is for, when it is for one. */
  model: string | undefined;
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  /** Why: the failure of the attempt before. */
  error: GatewayError;
}

/** How an upstream's calls are retried in place. */
export interface RetryPolicy {
  /** UPSTREAM_RETRIES: attempts after the first. */
  retries: number;
  /** Told before each retry's wait. */
  onRetry?: (notice: RetryNotice) => void;
}

/** The same upstream may answer a second try: it throttled, was briefly unavailable, or could not be reached. */
export function retriesInPlace(error: GatewayError): boolean {
  return (
    error instanceof RateLimitError || error instanceof ServiceUnavailableError || error instanceof APIConnectionError
  );
}

/**
 * How long to wait before retry number `retry` (1 for the first) after
 * `error`, or undefined when no retry should be made: the upstream's
 * `retry-after` up to MAX_RETRY_AFTER_SECONDS, otherwise exponential
 * backoff with full jitter (anywhere from 0 to the retry's ceiling, so
 * callers throttled together do not come back together).
 */
export function retryDelayMs(
  error: GatewayError,
  retry: number,
  random: () => number = Math.random,
): number | undefined {
  if (!retriesInPlace(error)) return undefined;
  const after = error.retryAfterSeconds;
  if (after !== undefined) return after <= MAX_RETRY_AFTER_SECONDS ? Math.round(after * 1000) : undefined;
  const ceiling = Math.min(MAX_BACKOFF_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}

/** Waits `ms`, or fails as the caller's cancellation as soon as `signal` fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const left = () => {
      clearTimeout(timer);
      reject(canceled(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", left);
      resolve();
    }, ms);
    if (signal.aborted) left();
    else signal.addEventListener("abort", left, { once: true });
  });
}

/**
 * After a failed attempt: waits before retry number `retry` when `policy`
 * allows one for this failure, otherwise throws the failure.
 */
export async function beforeRetry(
  policy: RetryPolicy | undefined,
  failure: GatewayError,
  retry: number,
  about: { upstream: string; model?: string | undefined; signal: AbortSignal },
): Promise<void> {
  const delayMs = policy !== undefined && retry <= policy.retries ? retryDelayMs(failure, retry) : undefined;
  if (delayMs === undefined) throw failure;
  policy?.onRetry?.({ upstream: about.upstream, model: about.model, retry, delayMs, error: failure });
  await pause(delayMs, about.signal);
}
