import type { ChatObserver } from "./chat-observer.js";
import { canceled, GatewayError } from "./errors.js";
import type { ProviderName } from "./model-router.js";

/**
 * What a provider's failure is reported as. After the caller's signal
 * fired, whatever the provider says is the signal's own reason (a deadline,
 * a shutdown) or a cancellation; before, it is the provider's (its
 * upstream's) failure, which the observer is told about.
 */
export function providerFailure(
  error: unknown,
  signal: AbortSignal,
  provider: ProviderName,
  observer: ChatObserver,
): GatewayError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof GatewayError) return reason;
    return canceled(error);
  }
  const failed = GatewayError.from(error);
  observer.upstreamFailed(provider, failed);
  return failed;
}

/** Seconds since `started` (a `performance.now()` reading). */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
