import { randomBytes } from "node:crypto";

/*
 * Every request takes a few random bytes for its ids. Asking the system's
 * generator for each was a measurable part of a request's CPU (a profile of
 * the bench put `randomFillSync` at 2% of HTTP unary); taking them from a
 * pool refilled 4 KiB at a time is as random and costs a slice.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function take(bytes: number): [Buffer, number] {
  if (offset + bytes > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, bytes));
    offset = 0;
  }
  const start = offset;
  offset += bytes;
  return [pool, start];
}

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  const [buffer, start] = take(bytes);
  return buffer.toString("hex", start, start + bytes);
}

/** `bytes` random bytes as base64url. */
export function randomBase64Url(bytes: number): string {
  const [buffer, start] = take(bytes);
  return buffer.toString("base64url", start, start + bytes);
}
