/**
 * HEAP_GROWTH_PERCENT sets how far V8's old generation grows between full
 * collections: the same allocations (a steady live set and a stream of
 * objects that live a while, as requests' do), run in fresh Node processes,
 * leave a much smaller old generation with a tight bound than with a loose
 * one. V8's own growth is not the reference: it depends on how fast the
 * machine runs the collector, so it is not the same from run to run. The
 * collector runs on the main thread (`--single-threaded-gc`), so that when
 * a collection ends does not depend on the machine's load either. Memory
 * is measured, not time.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const CHURN = `
import v8 from "node:v8";
import { limitHeapGrowth } from "./src/heap-growth.ts";
limitHeapGrowth(Number(process.argv[1]));
const live = Array.from({ length: 200_000 }, (_, i) => ({ i, text: "x".repeat(50) + i }));
const ring = new Array(50_000);
let peak = 0;
for (let i = 0; i < 3_000_000; i += 1) {
  ring[i % ring.length] = { i, text: "y" + i, pair: [i, i + 1] };
  if (i % 100_000 === 0) {
    const old = v8.getHeapSpaceStatistics().find((space) => space.space_name === "old_space");
    peak = Math.max(peak, old?.space_size ?? 0);
  }
}
process.stdout.write(String(live.length > 0 && ring.length > 0 ? peak : 0));
`;

/** The peak size of the old generation, in bytes, of a fresh process running the churn with `percent`. */
function oldSpacePeak(percent: number): number {
  const output = execFileSync(
    process.execPath,
    ["--single-threaded-gc", "--import", "tsx", "--input-type=module", "-e", CHURN, String(percent)],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  return Number(output);
}

describe("limitHeapGrowth", () => {
  it("lets the heap grow only as far as it is told between full collections", () => {
    const tight = oldSpacePeak(20);
    const loose = oldSpacePeak(300);
    expect(tight).toBeGreaterThan(0);
    expect(tight).toBeLessThan(loose * 0.6);
  }, 60_000);
});
