import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  AuthenticationError,
  CanceledError,
  type GatewayErrorClass,
  InternalError,
  InvalidRequestError,
  ModelNotFoundError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../../src/core/errors.js";
import {
  BACKOFF_BASE_MS,
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_SECONDS,
  retriesInPlace,
  retryDelayMs,
} from "../../../src/providers/upstream/retry-policy.js";

const IN_PLACE: GatewayErrorClass[] = [RateLimitError, ServiceUnavailableError, APIConnectionError];
const NOT_IN_PLACE: GatewayErrorClass[] = [
  InvalidRequestError,
  AuthenticationError,
  ModelNotFoundError,
  TimeoutError,
  UpstreamError,
  InternalError,
  CanceledError,
];

describe("retriesInPlace", () => {
  it.each(IN_PLACE.map((Class) => [Class.name, Class]))("tries the same upstream again after %s", (_name, Class) => {
    expect(retriesInPlace(new Class("failed"))).toBe(true);
  });

  it.each(NOT_IN_PLACE.map((Class) => [Class.name, Class]))("does not after %s", (_name, Class) => {
    expect(retriesInPlace(new Class("failed"))).toBe(false);
  });
});

describe("retryDelayMs", () => {
  it("waits what retry-after says, up to its limit, whatever the retry", () => {
    expect(retryDelayMs(new RateLimitError("slow", { retryAfterSeconds: 0.3 }), 1)).toBe(300);
    expect(retryDelayMs(new RateLimitError("slow", { retryAfterSeconds: 0 }), 2)).toBe(0);
    const longest = new ServiceUnavailableError("busy", { retryAfterSeconds: MAX_RETRY_AFTER_SECONDS });
    expect(retryDelayMs(longest, 3)).toBe(MAX_RETRY_AFTER_SECONDS * 1000);
  });

  it("makes no retry when retry-after asks for longer than its limit: another target may answer sooner", () => {
    const error = new RateLimitError("slow", { retryAfterSeconds: MAX_RETRY_AFTER_SECONDS + 1 });
    expect(retryDelayMs(error, 1)).toBeUndefined();
  });

  it("makes no retry for a failure another attempt would repeat", () => {
    for (const Class of NOT_IN_PLACE) expect(retryDelayMs(new Class("failed"), 1), Class.name).toBeUndefined();
  });

  it("backs off exponentially: the ceiling doubles from the base up to the largest", () => {
    const ceiling = (retry: number) => retryDelayMs(new APIConnectionError("down"), retry, () => 1);
    expect([1, 2, 3, 4].map(ceiling)).toEqual([
      BACKOFF_BASE_MS,
      2 * BACKOFF_BASE_MS,
      4 * BACKOFF_BASE_MS,
      8 * BACKOFF_BASE_MS,
    ]);
    expect(ceiling(30)).toBe(MAX_BACKOFF_MS);
    expect(retryDelayMs(new APIConnectionError("down"), 3, () => 0)).toBe(0);
  });

  it("jitters anywhere between nothing and the retry's ceiling", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (retry, random) => {
        const delay = retryDelayMs(new ServiceUnavailableError("busy"), retry, () => random) ?? -1;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(MAX_BACKOFF_MS, BACKOFF_BASE_MS * 2 ** (retry - 1)));
      }),
    );
  });
});
