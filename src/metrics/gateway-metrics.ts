import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ChatObserver } from "../core/chat-observer.js";
import { CallTables } from "./call-series.js";
import { MetricsObserver } from "./metrics-observer.js";
import { METRIC_PREFIX, processMetrics } from "./process-metrics.js";

/** How many model ids of each provider get their own label value unless told otherwise. */
export const DEFAULT_MODEL_LABELS_PER_PROVIDER = 50;

// Model calls take from milliseconds (a refusal) to minutes (a long answer).
const DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const FIRST_CHUNK_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const CALL_LABELS = ["protocol", "operation", "provider", "model", "outcome"] as const;

/** The answer of `GET /metrics`. */
export interface MetricsText {
  contentType: string;
  body: string;
}

export interface GatewayMetricsOptions {
  /** How many model ids of each provider get their own label value; the rest are `other`. */
  modelLabelsPerProvider?: number;
}

/**
 * The server's Prometheus metrics: the observer the core reports calls to,
 * and the exposition text. Counts are kept in plain records while calls
 * run and handed to prom-client when a scrape asks; only the histograms
 * are prom-client's own on the call path.
 */
export class GatewayMetrics {
  readonly observer: ChatObserver;
  readonly #registry: Registry;

  constructor(options: GatewayMetricsOptions = {}) {
    const tables = new CallTables(options.modelLabelsPerProvider ?? DEFAULT_MODEL_LABELS_PER_PROVIDER);
    const own = new Registry();
    const registers = [own];
    new Counter({
      name: `${METRIC_PREFIX}requests_total`,
      help: "Chat and model-listing calls by transport protocol, operation, provider, model and outcome (ok or the error class)",
      labelNames: CALL_LABELS,
      registers,
      collect() {
        this.reset();
        for (const series of tables.allCalls()) this.inc(series.labels, series.count);
      },
    });
    const duration = new Histogram({
      name: `${METRIC_PREFIX}request_duration_seconds`,
      help: "Time from the start of a call to its end (a stream's last chunk), by the labels of requests_total",
      labelNames: CALL_LABELS,
      buckets: DURATION_BUCKETS,
      registers,
    });
    const firstChunk = new Histogram({
      name: `${METRIC_PREFIX}stream_first_chunk_seconds`,
      help: "Time from the start of a streamed call to its first chunk",
      labelNames: ["protocol", "provider", "model"] as const,
      buckets: FIRST_CHUNK_BUCKETS,
      registers,
    });
    new Counter({
      name: `${METRIC_PREFIX}prompt_tokens_total`,
      help: "Prompt tokens the providers reported, by provider and model",
      labelNames: ["provider", "model"] as const,
      registers,
      collect() {
        this.reset();
        for (const series of tables.allTokens()) this.inc(series.labels, series.prompt);
      },
    });
    new Counter({
      name: `${METRIC_PREFIX}completion_tokens_total`,
      help: "Completion tokens the providers reported, by provider and model",
      labelNames: ["provider", "model"] as const,
      registers,
      collect() {
        this.reset();
        for (const series of tables.allTokens()) this.inc(series.labels, series.completion);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}in_flight_requests`,
      help: "Calls running now (unary requests and open streams), by transport protocol and operation",
      labelNames: ["protocol", "operation"] as const,
      registers,
      collect() {
        for (const kind of tables.allKinds()) this.set(kind.labels, kind.inFlight);
      },
    });
    new Counter({
      name: `${METRIC_PREFIX}upstream_errors_total`,
      help: "Failures providers reported for calls and model listings, by provider and error class",
      labelNames: ["provider", "error"] as const,
      registers,
      collect() {
        this.reset();
        for (const series of tables.allUpstreamErrors()) this.inc(series.labels, series.count);
      },
    });
    this.observer = new MetricsObserver(tables, { duration, firstChunk });
    this.#registry = Registry.merge([own, processMetrics()]);
  }

  /** Every metric in the Prometheus text format. */
  async text(): Promise<MetricsText> {
    return { contentType: this.#registry.contentType, body: await this.#registry.metrics() };
  }
}
