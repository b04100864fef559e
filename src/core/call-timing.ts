/**
 * Where one call's time went: waiting on the upstream, and the rest, which
 * is the gateway's own. Transports start it with the call and report it as
 * `server-timing` (`gateway;dur=0.42, upstream;dur=12.30`); the upstream
 * exchange's idle clock, which runs exactly while we wait on the upstream,
 * feeds it.
 *
 * It is kept by the call's abort signal: that signal already travels
 * unchanged from the transport through the core and the provider to the
 * upstream call, so the clock needs no parameter of its own on every
 * interface in between.
 */
export class CallTiming {
  readonly #started = performance.now();
  #upstreamMs = 0;
  #waitingSince: number | undefined;

  /** We wait on the upstream from now on. */
  waitStarted(): void {
    this.#waitingSince ??= performance.now();
  }

  /** The upstream has answered (or a stream's next event has come). */
  waitEnded(): void {
    if (this.#waitingSince === undefined) return;
    this.#upstreamMs += performance.now() - this.#waitingSince;
    this.#waitingSince = undefined;
  }

  /** The `server-timing` value so far, in milliseconds. */
  serverTiming(): string {
    const now = performance.now();
    const upstream = this.#upstreamMs + (this.#waitingSince === undefined ? 0 : now - this.#waitingSince);
    const gateway = Math.max(0, now - this.#started - upstream);
    return `gateway;dur=${gateway.toFixed(2)}, upstream;dur=${upstream.toFixed(2)}`;
  }
}

const timings = new WeakMap<AbortSignal, CallTiming>();

/** Starts timing the call that `signal` belongs to. */
export function startCallTiming(signal: AbortSignal): CallTiming {
  const timing = new CallTiming();
  timings.set(signal, timing);
  return timing;
}

/** The timing of the call `signal` belongs to, if its transport keeps one. */
export function callTimingOf(signal: AbortSignal): CallTiming | undefined {
  return timings.get(signal);
}
