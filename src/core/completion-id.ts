import { randomBase64Url } from "./pooled-random.js";

/** An id in OpenAI's `chatcmpl-...` form for answers whose upstream gives none. */
export function newCompletionId(): string {
  return `chatcmpl-${randomBase64Url(18)}`;
}

/** Unix time in whole seconds, as OpenAI's `created`. */
export function unixSeconds(now: number = Date.now()): bigint {
  return BigInt(Math.floor(now / 1000));
}
