/**
 * Metrics across worker processes. Each worker keeps its own records (the
 * call path stays free of inter-process messages); when Prometheus scrapes
 * one of them, the primary asks every worker for a report and merges them.
 */
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { MetricsText } from "../transport/http-routes.js";
import type { GatewayMetrics } from "./gateway-metrics.js";
import { processMetrics } from "./process-metrics.js";

/** One worker's metrics, in the forms that merge. */
export interface MetricsReport {
  contentType: string;
  /** The calls' counters, gauge and histograms, in the text format: they add up across workers. */
  calls: string;
  /** Node's process metrics as prom-client's JSON, which prom-client merges by each metric's own rule. */
  process: MetricObjectWithValues<MetricValue<string>>[];
}

export async function metricsReport(metrics: GatewayMetrics): Promise<MetricsReport> {
  const [calls, process] = await Promise.all([metrics.callsText(), processMetrics().getMetricsAsJSON()]);
  return { contentType: metrics.contentType, calls, process };
}

interface Family {
  header: string[];
  /** Each series' value, by its name and labels as printed. */
  samples: Map<string, number>;
}

/**
 * Adds up metric texts series by series: every family once, with its HELP
 * and TYPE, and each series' value the sum of its values in the texts.
 */
export function sumMetricTexts(texts: readonly string[]): string {
  const families = new Map<string, Family>();
  for (const text of texts) {
    let family: Family | undefined;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const header = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (header) {
        const name = header[2] as string;
        family = families.get(name);
        if (family === undefined) {
          family = { header: [], samples: new Map() };
          families.set(name, family);
        }
        if (!family.header.some((seen) => seen.startsWith(`# ${header[1]} `))) family.header.push(line);
        continue;
      }
      if (line.startsWith("#") || family === undefined) continue;
      // The value follows the last space; label values may hold spaces of their own.
      const split = line.lastIndexOf(" ");
      const series = line.slice(0, split);
      const value = Number(line.slice(split + 1));
      family.samples.set(series, (family.samples.get(series) ?? 0) + value);
    }
  }
  const lines: string[] = [];
  for (const family of families.values()) {
    lines.push(...family.header);
    for (const [series, value] of family.samples) lines.push(`${series} ${value}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The metrics of all workers as one exposition, as if one process had served every call. */
export async function mergeMetricsReports(reports: readonly MetricsReport[]): Promise<MetricsText> {
  const calls = sumMetricTexts(reports.map((report) => report.calls));
  const process = await AggregatorRegistry.aggregate(reports.map((report) => report.process)).metrics();
  return {
    contentType: reports[0]?.contentType ?? AggregatorRegistry.PROMETHEUS_CONTENT_TYPE,
    body: `${calls}\n${process}`,
  };
}
