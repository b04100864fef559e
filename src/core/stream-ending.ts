import { canceled, GatewayError } from "./errors.js";

/** Lets a stream the caller left release what it holds (its upstream call is aborted). */
export async function closeQuietly(items: AsyncIterator<unknown> | undefined): Promise<void> {
  try {
    await items?.return?.();
  } catch {
    // Nobody reads this stream any more.
  }
}

/** Why a stream was left unfinished without failing: its caller went away. */
export function abandoned(signal: AbortSignal): GatewayError {
  const reason: unknown = signal.reason;
  if (signal.aborted && reason instanceof GatewayError) return reason;
  return canceled(undefined, "The caller stopped reading the stream.");
}
