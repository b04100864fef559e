import { canceled, GatewayError } from "./errors.js";

/**
 * What a provider's failure is reported as. After the caller's signal
 * fired, whatever the provider says is the signal's own reason (a
 * deadline, a shutdown) or a cancellation, and `upstream` is not told;
 * before, it is the provider's (its upstream's) failure.
 */
export function callFailure(
  error: unknown,
  signal: AbortSignal,
  upstream: (failed: GatewayError) => void,
): GatewayError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof GatewayError) return reason;
    return canceled(error);
  }
  const failed = GatewayError.from(error);
  upstream(failed);
  return failed;
}

/** Why a stream was left unfinished without failing: its caller went away. */
export function abandoned(signal: AbortSignal): GatewayError {
  const reason: unknown = signal.reason;
  if (signal.aborted && reason instanceof GatewayError) return reason;
  return canceled(undefined, "The caller stopped reading the stream.");
}

export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}
