/**
 * The vectors the fake upstreams answer: derived from what was embedded
 * (a text, an image's bytes, token ids), so a test can tell which input a
 * vector belongs to by computing it again, and sized as asked.
 */
import { createHash } from "node:crypto";

/** A vector of `dimensions` numbers in [-1, 1] that only `content` determines; of length 1 when `normalize`. */
export function fakeEmbedding(content: string, dimensions: number, normalize = true): number[] {
  // A small PRNG (mulberry32) seeded from the content's hash.
  let seed = createHash("sha256").update(content).digest().readUInt32LE(0);
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const vector = Array.from({ length: dimensions }, () => next() * 2 - 1);
  if (!normalize) return vector;
  const length = Math.hypot(...vector);
  return vector.map((value) => value / length);
}

/** Tokens as the fakes count them: one per word, at least one. */
export function fakeTokenCount(text: string): number {
  return Math.max(1, text.split(/\s+/).filter(Boolean).length);
}
