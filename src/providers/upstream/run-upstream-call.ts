import type { GatewayError } from "../../core/errors.js";
import { closeQuietly } from "../../core/stream-ending.js";
import { beforeRetry } from "./retry-policy.js";
import { UpstreamAttempt } from "./upstream-attempt.js";
import type { UpstreamCall } from "./upstream-call.js";

/*
 * Every exchange, unary or streaming, on either provider, goes through these
 * two: they own the call's abort signal, its idle clock, how its failures
 * are reported and its retries in place, so each exchange only sends and
 * reads. Until `run` returns or `relay` yields its first event nothing has
 * reached the caller, and every failure is a GatewayError by then, whose
 * class says whether a new attempt may help (retry-policy.ts): so a 429, a
 * 503 or a connection failure is tried again here, up to UPSTREAM_RETRIES
 * times, and never once an event was passed on.
 */

/**
 * A unary call: `attempt` sends with the signal it is given and reads the
 * whole answer, within the idle timeout. Fails as a TimeoutError when the
 * timeout fired, a CanceledError when the caller left, otherwise as
 * `readFailure` reads the failure.
 */
export async function run<T>(call: UpstreamCall, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  for (let retry = 1; ; retry += 1) {
    const current = new UpstreamAttempt(call);
    let failure: GatewayError;
    try {
      const answer = await attempt(current.signal);
      current.complete();
      return answer;
    } catch (error) {
      failure = current.failure(error);
    } finally {
      current.end();
    }
    await beforeRetry(call.retry, failure, retry, call);
  }
}

/**
 * A streaming call: `open` sends with the signal it is given and answers the
 * stream's events, which are passed on one by one. The upstream has the idle
 * timeout to begin and then again for each next event; the clock stops
 * while our reader holds an event. A stream read to the end completes the
 * call; a reader that stops early aborts the upstream. A failure before the
 * first event may be retried; after it, it is the caller's.
 */
export async function* relay<T>(
  call: UpstreamCall,
  open: (signal: AbortSignal) => Promise<AsyncIterable<T>> | AsyncIterable<T>,
): AsyncGenerator<T> {
  for (let retry = 1; ; retry += 1) {
    const current = new UpstreamAttempt(call);
    let events: AsyncIterator<T> | undefined;
    let first: IteratorResult<T>;
    try {
      events = (await open(current.signal))[Symbol.asyncIterator]();
      first = await events.next();
      current.throwIfAborted();
    } catch (error) {
      const failure = current.failure(error);
      current.end();
      await closeQuietly(events);
      await beforeRetry(call.retry, failure, retry, call);
      continue;
    }
    yield* passOn(current, events, first);
    return;
  }
}

/** The events of an attempt whose first event is in hand. */
async function* passOn<T>(
  current: UpstreamAttempt,
  events: AsyncIterator<T>,
  first: IteratorResult<T>,
): AsyncGenerator<T> {
  let done = false;
  try {
    for (let next = first; ; next = await events.next()) {
      done = next.done === true;
      // An aborted stream may end quietly or still hand over what it had read: neither is the answer.
      current.throwIfAborted();
      if (next.done) break;
      current.stopClock();
      yield next.value;
      current.startClock();
    }
    current.complete();
  } catch (error) {
    done = true;
    throw current.failure(error);
  } finally {
    current.end();
    if (!done) await closeQuietly(events);
  }
}
