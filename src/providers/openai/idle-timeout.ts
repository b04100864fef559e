/**
 * Fires when the upstream keeps us waiting too long: for an answer to begin,
 * or for the next chunk of a stream. It runs only while we wait on the
 * upstream, so a long stream that keeps flowing is never cut and a slow
 * reader downstream is not taken for a silent upstream. This is what undici's
 * headersTimeout and bodyTimeout measure on the other exchange.
 */
export class IdleTimeout {
  readonly #ms: number;
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** Aborts when the timeout fires. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get fired(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Starts a wait on the upstream, from zero. */
  wait(): void {
    this.stop();
    this.#timer = setTimeout(() => this.#controller.abort(), this.#ms);
  }

  /** The upstream answered; nothing is being waited for. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
