import type { GatewayError } from "../../core/errors.js";
import { canceled, timedOut } from "./map-bedrock-error.js";

/** How an exchange reads a failure that neither the deadline nor the caller caused. */
export type DescribeFailure = (error: unknown) => GatewayError | Error;

/**
 * One upstream call's abort signal, the same for every exchange: fires when
 * the caller leaves, when the deadline passes (for a unary answer or a
 * stream's first event), or when the reader of a stream stops early.
 * Failures are reported as what caused them.
 */
export class UpstreamCall {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal;
  readonly #timer: NodeJS.Timeout;
  readonly #describe: DescribeFailure;
  #timedOut = false;
  #complete = false;
  readonly #onCallerAbort = () => this.#controller.abort(this.#caller.reason);

  constructor(caller: AbortSignal, timeoutMs: number, describe: DescribeFailure) {
    this.#caller = caller;
    this.#describe = describe;
    if (caller.aborted) this.#controller.abort(caller.reason);
    else caller.addEventListener("abort", this.#onCallerAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(timedOut());
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The answer has begun: the deadline no longer applies. */
  stopClock(): void {
    clearTimeout(this.#timer);
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
    clearTimeout(this.#timer);
    this.#caller.removeEventListener("abort", this.#onCallerAbort);
    if (!this.#complete && !this.#controller.signal.aborted) this.#controller.abort(canceled());
  }

  failure(error: unknown): GatewayError | Error {
    if (this.#timedOut) return timedOut(error);
    if (this.#caller.aborted) return canceled(error);
    return this.#describe(error);
  }
}
