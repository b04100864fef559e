/** A worker that lived at least this long did not die of a crash loop. */
export const STABLE_AFTER_MS = 10_000;
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 10_000;

/**
 * How long to wait before replacing a dead worker. One that ran for a while
 * is replaced at once; while workers die soon after they start (a crash
 * loop: a bad file, a port taken), each wait doubles, up to ten seconds, so
 * the machine is not spent on restarts.
 */
export class RestartBackoff {
  #quickDeaths = 0;

  /** The wait before the next start, given how long the dead worker ran. */
  next(livedMs: number): number {
    if (livedMs >= STABLE_AFTER_MS) {
      this.#quickDeaths = 0;
      return 0;
    }
    this.#quickDeaths += 1;
    return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (this.#quickDeaths - 1));
  }
}
