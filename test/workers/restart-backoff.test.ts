import { describe, expect, it } from "vitest";
import { RestartBackoff, STABLE_AFTER_MS } from "../../src/workers/restart-backoff.js";

describe("RestartBackoff", () => {
  it("replaces a worker that ran for a while at once", () => {
    const backoff = new RestartBackoff();
    expect(backoff.next(STABLE_AFTER_MS)).toBe(0);
    expect(backoff.next(3_600_000)).toBe(0);
  });

  it("doubles the wait while workers die soon after they start, up to ten seconds", () => {
    const backoff = new RestartBackoff();
    const waits = Array.from({ length: 10 }, () => backoff.next(50));
    expect(waits).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
  });

  it("starts over once a worker has run long enough", () => {
    const backoff = new RestartBackoff();
    backoff.next(50);
    backoff.next(50);
    expect(backoff.next(STABLE_AFTER_MS + 1)).toBe(0);
    expect(backoff.next(50)).toBe(100);
  });
});
