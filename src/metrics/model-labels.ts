/** The label value of every model beyond the ones that have their own. */
export const OTHER_MODEL = "other";

/** Longer ids than this (never a real model's) are counted as `other`. */
const MAX_MODEL_ID_LENGTH = 200;

/**
 * Which model ids of one provider have their own label value. Model ids come
 * from callers, so they are bounded twice: only a model the provider has
 * answered for gets a value (a typo that fails never takes one), and only
 * the first `cap` of those; every other model is `other`.
 */
export class ModelLabels {
  readonly #cap: number;
  readonly #known = new Set<string>();

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** The label of a model the provider has just answered for. */
  admit(model: string): string {
    if (this.#known.has(model)) return model;
    if (this.#known.size >= this.#cap || model.length > MAX_MODEL_ID_LENGTH) return OTHER_MODEL;
    this.#known.add(model);
    return model;
  }

  /** The label of a model that may not exist: its own only if it was admitted before. */
  lookup(model: string): string {
    return this.#known.has(model) ? model : OTHER_MODEL;
  }
}
