/**
 * A histogram of durations kept in plain numbers, and its lines in the
 * Prometheus text format. prom-client's own histograms turn the label set
 * into a string key on every observation; on the call path that costs more
 * than everything else the metrics do, so the server keeps one of these per
 * label set (found by lookups, see call-series.ts) and prints them when
 * Prometheus scrapes.
 */
export class SecondsHistogram {
  /** Observations per bucket (not cumulative); those above the last bound are only in `count`. */
  readonly #perBucket: number[];
  readonly #bounds: readonly number[];
  sum = 0;
  count = 0;

  /** `bounds`: the buckets' upper bounds in seconds, ascending. */
  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.#perBucket = bounds.map(() => 0);
  }

  observe(seconds: number): void {
    if (!(seconds >= 0)) return;
    this.sum += seconds;
    this.count += 1;
    const bounds = this.#bounds;
    for (let index = 0; index < bounds.length; index++) {
      if (seconds <= (bounds[index] ?? Number.POSITIVE_INFINITY)) {
        this.#perBucket[index] = (this.#perBucket[index] ?? 0) + 1;
        return;
      }
    }
  }

  /** The cumulative counts Prometheus wants: `[upper bound, observations at or below it]`, ending with `+Inf`. */
  buckets(): [le: string, count: number][] {
    let below = 0;
    const buckets = this.#bounds.map((bound, index): [string, number] => {
      below += this.#perBucket[index] ?? 0;
      return [String(bound), below];
    });
    buckets.push(["+Inf", this.count]);
    return buckets;
  }
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** Label values are strings; a label set is any object of them (the records' interfaces). */
type LabelSet<L> = { readonly [K in keyof L]: string };

function labelText<L extends LabelSet<L>>(labels: L, le?: string): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(String(value))}"`);
  if (le !== undefined) pairs.push(`le="${le}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** One histogram family in the text format: HELP, TYPE, and the buckets, sum and count of each label set observed. */
export function histogramText<L extends LabelSet<L>>(
  name: string,
  help: string,
  series: Iterable<{ labels: L; histogram: SecondsHistogram }>,
): string {
  const lines = [`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} histogram`];
  for (const { labels, histogram } of series) {
    if (histogram.count === 0) continue;
    for (const [le, count] of histogram.buckets()) lines.push(`${name}_bucket${labelText(labels, le)} ${count}`);
    lines.push(
      `${name}_sum${labelText(labels)} ${histogram.sum}`,
      `${name}_count${labelText(labels)} ${histogram.count}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
