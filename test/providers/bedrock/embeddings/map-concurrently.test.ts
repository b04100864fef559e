import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapConcurrently } from "../../../../src/providers/bedrock/embeddings/map-concurrently.js";

/**
 * Tasks that finish only when the test says: each started task waits for
 * its turn, and `finishNext` lets one of the running ones finish, picked by
 * the scheduler the property test draws.
 */
class Gate {
  readonly running: { index: number; finish: () => void; fail: (error: Error) => void }[] = [];
  readonly started: number[] = [];
  most = 0;

  task = (index: number, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      this.started.push(index);
      const entry = {
        index,
        finish: () => resolve(`result ${index}`),
        fail: (error: Error) => reject(error),
      };
      this.running.push(entry);
      this.most = Math.max(this.most, this.running.length);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });

  /** Finishes (or fails) the running task at `pick` (modulo how many run). */
  settle(pick: number, failure?: Error): void {
    const [entry] = this.running.splice(pick % this.running.length, 1);
    if (failure) entry?.fail(failure);
    else entry?.finish();
  }
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("mapConcurrently", () => {
  it("answers every result in item order whatever order the tasks finish in, never running more than the limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.infiniteStream(fc.nat()),
        async (count, limit, picks) => {
          const gate = new Gate();
          const items = Array.from({ length: count }, (_, index) => index);
          const all = mapConcurrently(items, limit, new AbortController().signal, gate.task);
          for (let finished = 0; finished < count; finished += 1) {
            await settled();
            gate.settle(picks.next().value);
          }
          expect(await all).toEqual(items.map((index) => `result ${index}`));
          expect(gate.most).toBeLessThanOrEqual(limit);
          expect(gate.started.sort((a, b) => a - b)).toEqual(items);
        },
      ),
    );
  });

  it("fails with the first failure, aborts the running tasks and starts no other", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        fc.infiniteStream(fc.nat()),
        async (count, limit, failAt, picks) => {
          const gate = new Gate();
          const items = Array.from({ length: count }, (_, index) => index);
          const all = mapConcurrently(items, limit, new AbortController().signal, gate.task);
          const failure = new Error("upstream failed");
          const successes = failAt % count;
          for (let finished = 0; finished < successes; finished += 1) {
            await settled();
            gate.settle(picks.next().value);
          }
          await settled();
          const startedBefore = gate.started.length;
          gate.settle(picks.next().value, failure);
          await expect(all).rejects.toBe(failure);
          await settled();
          expect(gate.started.length).toBe(startedBefore);
          expect(gate.started.length).toBeLessThanOrEqual(successes + limit);
        },
      ),
    );
  });

  it("aborts every task when the caller's signal fires", async () => {
    const gate = new Gate();
    const caller = new AbortController();
    const all = mapConcurrently([1, 2, 3, 4, 5], 2, caller.signal, gate.task);
    await settled();
    const reason = new Error("the caller left");
    caller.abort(reason);
    await expect(all).rejects.toBe(reason);
    expect(gate.started).toEqual([1, 2]);
  });
});
