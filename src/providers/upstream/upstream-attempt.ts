import { type CallTiming, callTimingOf } from "../../core/call-timing.js";
import { canceled, GatewayError } from "../../core/errors.js";
import type { UpstreamCall } from "./upstream-call.js";
import { timedOut } from "./upstream-failures.js";

/**
 * One attempt at an upstream call: its abort signal, which fires when the
 * caller leaves, when the upstream stays silent longer than the idle timeout,
 * or when the attempt ends before its answer was read to the end; and its
 * idle clock, which runs only while we wait on the upstream. Failures are
 * reported as what caused them.
 */
export class UpstreamAttempt {
  readonly #call: UpstreamCall;
  readonly #controller = new AbortController();
  readonly #timing: CallTiming | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Our reader holds an event: the upstream is not keeping us waiting. */
  #holding = false;
  #timedOut = false;
  #complete = false;
  readonly #onCallerAbort = () => this.#controller.abort(this.#call.signal.reason);
  readonly #onIdle = () => {
    if (this.#holding) return;
    this.#timedOut = true;
    this.#controller.abort(timedOut(this.#call.upstream));
  };

  constructor(call: UpstreamCall) {
    this.#call = call;
    this.#timing = callTimingOf(call.signal);
    if (call.signal.aborted) this.#controller.abort(call.signal.reason);
    else call.signal.addEventListener("abort", this.#onCallerAbort, { once: true });
    this.startClock();
  }

  /** What the upstream request must be sent with. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** We wait on the upstream again: it has the whole timeout, from now, to send what comes next. */
  startClock(): void {
    this.#holding = false;
    this.#timing?.waitStarted();
    // One timer for the attempt, re-armed for each wait, rather than a new one for each event of a stream.
    if (this.#timer === undefined) this.#timer = setTimeout(this.#onIdle, this.#call.idleTimeoutMs);
    else this.#timer.refresh();
  }

  /** The upstream has answered; the time our reader takes does not count. */
  stopClock(): void {
    this.#holding = true;
    this.#timing?.waitEnded();
  }

  /** Throws, as what aborted it, once the attempt was aborted. */
  throwIfAborted(): void {
    if (this.#controller.signal.aborted) throw this.failure(this.#controller.signal.reason);
  }

  /** The whole answer has been read. */
  complete(): void {
    this.#complete = true;
  }

  /** Ends the attempt; aborts the upstream request unless its answer was read to the end. */
  end(): void {
    this.stopClock();
    clearTimeout(this.#timer);
    this.#call.signal.removeEventListener("abort", this.#onCallerAbort);
    if (!this.#complete && !this.#controller.signal.aborted) this.#controller.abort(canceled());
  }

  /** A failure as the GatewayError it is: the timeout's, the caller's, or the upstream's as `readFailure` reads it. */
  failure(reason: unknown): GatewayError {
    if (this.#timedOut) return timedOut(this.#call.upstream, reason);
    if (this.#call.signal.aborted) return canceled(reason);
    return GatewayError.from(reason, this.#call.readFailure);
  }
}
