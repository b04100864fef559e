import { describe, expect, it } from "vitest";
import { targetName } from "../../src/core/model-router.js";
import { type CooldownSettings, TargetCooldown } from "../../src/core/target-cooldown.js";

const WEST = { provider: "bedrock-west", modelId: "amazon.nova-lite-v1:0" };
const EAST = { provider: "bedrock", modelId: "amazon.nova-lite-v1:0" };

function cooldown(settings: CooldownSettings) {
  const clock = { now: 0 };
  const rests: string[] = [];
  const tracker = new TargetCooldown(
    settings,
    (target) => rests.push(targetName(target)),
    () => clock.now,
  );
  return { tracker, clock, rests };
}

describe("TargetCooldown", () => {
  it("rests a target after COOLDOWN_FAILURES failures in a row, for COOLDOWN_SECONDS", () => {
    const { tracker, clock, rests } = cooldown({ failures: 3, seconds: 30 });
    tracker.failed(WEST);
    tracker.failed(WEST);
    expect(tracker.resting(WEST)).toBe(false);
    tracker.failed(WEST);
    expect(tracker.resting(WEST)).toBe(true);
    expect(tracker.resting(EAST)).toBe(false);
    expect(rests).toEqual(["bedrock-west/amazon.nova-lite-v1:0"]);
    clock.now = 29_999;
    expect(tracker.resting(WEST)).toBe(true);
    clock.now = 30_000;
    expect(tracker.resting(WEST)).toBe(false);
  });

  it("sends a target back to rest at its first failure after the rest, and clears it at its first answer", () => {
    const { tracker, clock, rests } = cooldown({ failures: 2, seconds: 1 });
    tracker.failed(WEST);
    tracker.failed(WEST);
    clock.now = 1_000;
    expect(tracker.resting(WEST)).toBe(false);
    tracker.failed(WEST);
    expect(tracker.resting(WEST)).toBe(true);
    expect(rests).toHaveLength(2);
    clock.now = 2_000;
    tracker.succeeded(WEST);
    tracker.failed(WEST);
    expect(tracker.resting(WEST)).toBe(false);
  });

  it("does not extend a rest when a resting target fails again (it was the last one left)", () => {
    const { tracker, clock, rests } = cooldown({ failures: 1, seconds: 10 });
    tracker.failed(WEST);
    clock.now = 9_000;
    tracker.failed(WEST);
    clock.now = 10_000;
    expect(tracker.resting(WEST)).toBe(false);
    expect(rests).toHaveLength(1);
  });

  it("never rests a target with COOLDOWN_FAILURES=0", () => {
    const { tracker, rests } = cooldown({ failures: 0, seconds: 30 });
    for (let failure = 0; failure < 10; failure += 1) tracker.failed(WEST);
    expect(tracker.resting(WEST)).toBe(false);
    expect(rests).toEqual([]);
  });
});
