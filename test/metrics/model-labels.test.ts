import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelLabels, OTHER_MODEL } from "../../src/metrics/model-labels.js";

describe("ModelLabels", () => {
  it("gives a model its own label once the provider answered for it, up to the cap", () => {
    const labels = new ModelLabels(2);
    expect(labels.admit("gpt-4o")).toBe("gpt-4o");
    expect(labels.admit("gpt-4o-mini")).toBe("gpt-4o-mini");
    expect(labels.admit("o3")).toBe(OTHER_MODEL);
    expect(labels.admit("gpt-4o")).toBe("gpt-4o");
  });

  it("counts a model that never answered as other, and keeps no slot for it", () => {
    const labels = new ModelLabels(1);
    expect(labels.lookup("gpt-4o-typo")).toBe(OTHER_MODEL);
    expect(labels.admit("gpt-4o")).toBe("gpt-4o");
    expect(labels.lookup("gpt-4o")).toBe("gpt-4o");
    expect(labels.lookup("gpt-4o-typo")).toBe(OTHER_MODEL);
  });

  it("counts an absurdly long id as other", () => {
    const labels = new ModelLabels(10);
    expect(labels.admit("x".repeat(201))).toBe(OTHER_MODEL);
    expect(labels.admit("x".repeat(200))).toBe("x".repeat(200));
  });

  it("never answers more than cap + 1 distinct values, and a value is the model or other", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 12 })), { maxLength: 60 }),
        (cap, calls) => {
          const labels = new ModelLabels(cap);
          const seen = new Set<string>();
          for (const [answered, model] of calls) {
            const label = answered ? labels.admit(model) : labels.lookup(model);
            expect([model, OTHER_MODEL]).toContain(label);
            seen.add(label);
          }
          expect(seen.size).toBeLessThanOrEqual(cap + 1);
        },
      ),
    );
  });
});
