import type { CallObserver, ChatObserver } from "./chat-observer.js";
import { canceled, GatewayError } from "./errors.js";
import type { ProviderName } from "./model-router.js";
import { secondsSince } from "./seconds-since.js";
import { upstreamFailure } from "./try-targets.js";

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

/** A stream opened on one target, its first item in hand. */
export interface Opened<T> {
  items: AsyncIterator<T>;
  first: IteratorResult<T>;
}

/** Opens a stream: its first item is asked for at once, so a target that fails to start fails here. */
export async function open<T>(items: AsyncIterable<T>): Promise<Opened<T>> {
  const iterator = items[Symbol.asyncIterator]();
  return { items: iterator, first: await iterator.next() };
}

/** How an opened stream's call ends: observed from `started`, its failures counted against `provider`. */
export interface StreamEnding {
  started: number;
  observed: CallObserver;
  observer: ChatObserver;
  signal: AbortSignal;
  provider: ProviderName;
}

/**
 * The rest of an opened stream, each item through `each` (which answers the
 * item to pass on, or undefined to leave it out). A failure after the first
 * item is the caller's, as the answer has begun; a stream the caller leaves
 * is closed, which aborts its upstream call. The call's observation ends
 * however the stream does.
 */
export async function* relayOpened<T>(
  opened: Opened<T>,
  ending: StreamEnding,
  each: (item: T) => T | undefined = (item) => item,
): AsyncGenerator<T> {
  const { started, observed, signal } = ending;
  let failed: GatewayError | undefined;
  let completed = false;
  try {
    for (let next = opened.first; !next.done; next = await opened.items.next()) {
      const item = each(next.value);
      if (item !== undefined) yield item;
    }
    completed = true;
  } catch (error) {
    failed = upstreamFailure(error, signal, ending.provider, ending.observer);
    throw failed;
  } finally {
    // Neither done nor failed: the transport stopped reading because the caller went away.
    if (!completed && failed === undefined) await closeQuietly(opened.items);
    observed.end(secondsSince(started), completed ? undefined : (failed ?? abandoned(signal)));
  }
}
