import fc from "fast-check";
import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { histogramText, SecondsHistogram } from "../../src/metrics/seconds-histogram.js";
import { parsePrometheusText } from "../helpers/prometheus-text.js";

const BOUNDS = [0.1, 0.5, 1, 5];

function bucketsOf(observations: number[], bounds = BOUNDS) {
  const histogram = new SecondsHistogram(bounds);
  for (const seconds of observations) histogram.observe(seconds);
  return histogram;
}

describe("SecondsHistogram", () => {
  it("counts a value equal to a bound in that bucket, and a value above the last only in +Inf", () => {
    const histogram = bucketsOf([0.1, 0.2, 1, 7, 0]);
    expect(histogram.buckets()).toEqual([
      ["0.1", 2],
      ["0.5", 3],
      ["1", 4],
      ["5", 4],
      ["+Inf", 5],
    ]);
    expect(histogram.count).toBe(5);
    expect(histogram.sum).toBeCloseTo(8.3);
  });

  it("leaves out what is not a duration", () => {
    const histogram = bucketsOf([-1, Number.NaN, 0.3]);
    expect(histogram.count).toBe(1);
    expect(histogram.sum).toBe(0.3);
  });

  it("prints HELP and TYPE even before any observation, and no series without observations", () => {
    const text = histogramText("x_seconds", "How long", [{ labels: { a: "1" }, histogram: bucketsOf([]) }]);
    expect(text).toBe("# HELP x_seconds How long\n# TYPE x_seconds histogram\n");
  });

  it("escapes label values so they read back unchanged", () => {
    const value = 'a "quoted" \\ back\nslash';
    const text = histogramText("x_seconds", "h", [{ labels: { model: value }, histogram: bucketsOf([0.2]) }]);
    const samples = parsePrometheusText(text).samples;
    expect(samples).toHaveLength(BOUNDS.length + 3);
    for (const sample of samples) expect(sample.labels.model).toBe(value);
  });

  it("prints what prom-client's own histogram prints for the same observations", async () => {
    const observations = fc.array(
      fc.oneof(fc.constantFrom(...BOUNDS, 0), fc.double({ min: 0, max: 20, noNaN: true })),
      { maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("openai", "bedrock"), observations), { minLength: 1, maxLength: 3 }),
        async (series) => {
          const registry = new Registry();
          const reference = new Histogram({
            name: "x_seconds",
            help: "How long",
            labelNames: ["provider"],
            buckets: BOUNDS,
            registers: [registry],
          });
          const ours = new Map<string, SecondsHistogram>();
          for (const [provider, values] of series) {
            const histogram = ours.get(provider) ?? new SecondsHistogram(BOUNDS);
            ours.set(provider, histogram);
            for (const seconds of values) {
              histogram.observe(seconds);
              reference.observe({ provider }, seconds);
            }
          }
          const text = histogramText(
            "x_seconds",
            "How long",
            Array.from(ours, ([provider, histogram]) => ({ labels: { provider }, histogram })),
          );
          // Label order within a sample is not part of the format: compare by a canonical key.
          const normalize = (exposition: string) =>
            parsePrometheusText(exposition)
              .samples.map(({ name, labels, value }) => {
                const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
                return [key, Math.round(value * 1e9) / 1e9] as const;
              })
              .sort(([a], [b]) => a.localeCompare(b));
          expect(normalize(text)).toEqual(normalize(await registry.metrics()));
          expect(parsePrometheusText(text).types.get("x_seconds")).toBe("histogram");
        },
      ),
      { numRuns: 100 },
    );
  });
});
