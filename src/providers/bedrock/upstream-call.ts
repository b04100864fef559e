import type { GatewayError } from "../../core/errors.js";
import { canceled, timedOut } from "./map-bedrock-error.js";

/** How an exchange reads a failure that neither the deadline nor the caller caused. */
export type DescribeFailure = (error: unknown) => GatewayError | Error;

/**
 * One upstream call's abort signal, the same for every exchange: fires when
 * the caller leaves, when Bedrock stays silent too long (for a unary answer,
 * for a stream's first event, or between two events), or when the reader of a
 * stream stops early. The clock runs only while we wait on Bedrock, so a long
 * stream that keeps flowing is never cut and a slow reader downstream is not
 * taken for a silent upstream. Failures are reported as what caused them.
 */
export class UpstreamCall {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal;
  readonly #timeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  readonly #describe: DescribeFailure;
  #timedOut = false;
  #complete = false;
  readonly #onCallerAbort = () => this.#controller.abort(this.#caller.reason);

  constructor(caller: AbortSignal, timeoutMs: number, describe: DescribeFailure) {
    this.#caller = caller;
    this.#describe = describe;
    if (caller.aborted) this.#controller.abort(caller.reason);
    else caller.addEventListener("abort", this.#onCallerAbort, { once: true });
    this.#timeoutMs = timeoutMs;
    this.startClock();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** We wait on Bedrock again: it has the whole timeout, from now, to send what comes next. */
  startClock(): void {
    this.stopClock();
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(timedOut());
    }, this.#timeoutMs);
  }

  /** Bedrock has answered; the time our reader takes does not count. */
  stopClock(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** An aborted stream just stops; that must not read as the end of the answer. */
  throwIfAborted(): void {
    if (this.#controller.signal.aborted) throw this.failure(this.#controller.signal.reason);
  }

  /** The whole answer has been read. */
  complete(): void {
    this.#complete = true;
  }

  /** Ends the call; aborts the upstream exchange unless its answer was read to the end. */
  end(): void {
    this.stopClock();
    this.#caller.removeEventListener("abort", this.#onCallerAbort);
    if (!this.#complete && !this.#controller.signal.aborted) this.#controller.abort(canceled());
  }

  failure(error: unknown): GatewayError | Error {
    if (this.#timedOut) return timedOut(error);
    if (this.#caller.aborted) return canceled(error);
    return this.#describe(error);
  }
}
