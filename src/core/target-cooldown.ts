import { type ModelRoute, targetName } from "./model-router.js";

/** COOLDOWN_FAILURES and COOLDOWN_SECONDS. */
export interface CooldownSettings {
  /** Failed requests in a row that make a target rest; 0: never. */
  failures: number;
  seconds: number;
}

/** Without settings no target ever rests. */
export const NO_COOLDOWN: CooldownSettings = { failures: 0, seconds: 0 };

interface TargetHealth {
  failuresInRow: number;
  /** When its rest ends (the clock's milliseconds); 0 while it is not resting. */
  restsUntil: number;
}

/**
 * Which models-file targets are resting. A target that failed `failures`
 * requests in a row (after its retries) rests for `seconds`; once the rest is
 * over it is tried again, and one more failure sends it back to rest, one
 * success clears its record. Only the targets of the models file are kept,
 * so the record stays as small as the file.
 */
export class TargetCooldown {
  readonly #settings: CooldownSettings;
  readonly #onRest: (target: ModelRoute) => void;
  readonly #now: () => number;
  readonly #health = new Map<string, TargetHealth>();

  constructor(settings: CooldownSettings, onRest: (target: ModelRoute) => void, now = () => performance.now()) {
    this.#settings = settings;
    this.#onRest = onRest;
    this.#now = now;
  }

  resting(target: ModelRoute): boolean {
    const health = this.#health.get(targetName(target));
    return health !== undefined && health.restsUntil > this.#now();
  }

  succeeded(target: ModelRoute): void {
    this.#health.delete(targetName(target));
  }

  failed(target: ModelRoute): void {
    if (this.#settings.failures === 0) return;
    const key = targetName(target);
    const health = this.#health.get(key) ?? { failuresInRow: 0, restsUntil: 0 };
    health.failuresInRow += 1;
    this.#health.set(key, health);
    if (health.failuresInRow >= this.#settings.failures && !this.resting(target)) {
      health.restsUntil = this.#now() + this.#settings.seconds * 1000;
      this.#onRest(target);
    }
  }
}
