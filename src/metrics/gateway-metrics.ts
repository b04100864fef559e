import { Counter, Gauge, Registry } from "prom-client";
import type { ChatObserver } from "../core/chat-observer.js";
import type { MetricsText } from "../transport/http-routes.js";
import { CallTables } from "./call-series.js";
import { MetricsObserver } from "./metrics-observer.js";
import { METRIC_PREFIX, processMetrics } from "./process-metrics.js";
import { histogramText } from "./seconds-histogram.js";

/** How many model ids of each provider get their own label value unless told otherwise. */
export const DEFAULT_MODEL_LABELS_PER_PROVIDER = 50;

const CALL_LABELS = ["protocol", "operation", "provider", "model", "outcome"] as const;

export interface GatewayMetricsOptions {
  /** How many model ids of each provider get their own label value; the rest are `other`. */
  modelLabelsPerProvider?: number;
}

/**
 * The server's Prometheus metrics: the observer the core reports calls to,
 * and the exposition text. While calls run, everything is counted in plain
 * records (call-series.ts); prom-client's counters and gauge read them when
 * a scrape asks, the two histograms are printed from them, and prom-client
 * adds Node's process metrics.
 */
export class GatewayMetrics {
  readonly observer: ChatObserver;
  readonly #tables: CallTables;
  readonly #registry = new Registry();

  constructor(options: GatewayMetricsOptions = {}) {
    const tables = new CallTables(options.modelLabelsPerProvider ?? DEFAULT_MODEL_LABELS_PER_PROVIDER);
    this.#tables = tables;
    const registers = [this.#registry];
    new Counter({
      name: `${METRIC_PREFIX}requests_total`,
      help: "Chat, embeddings and model-listing calls by transport protocol, operation, provider, model and outcome (ok or the error class)",
      labelNames: CALL_LABELS,
      registers,
      collect() {
        this.reset();
        for (const series of tables.allCalls()) this.inc(series.labels, series.histogram.count);
      },
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
    new Counter({
      name: `${METRIC_PREFIX}cache_read_tokens_total`,
      help: "Prompt tokens read from the providers' prompt caches (part of prompt_tokens_total), by provider and model",
      labelNames: ["provider", "model"] as const,
      registers,
      collect() {
        this.reset();
        for (const series of tables.allTokens()) this.inc(series.labels, series.cacheRead);
      },
    });
    new Counter({
      name: `${METRIC_PREFIX}cache_write_tokens_total`,
      help: "Prompt tokens written to the providers' prompt caches (part of prompt_tokens_total), by provider and model",
      labelNames: ["provider", "model"] as const,
      registers,
      collect() {
        this.reset();
        for (const series of tables.allTokens()) this.inc(series.labels, series.cacheWrite);
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
    const counted = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      all: () => Iterable<{ labels: Record<L, string>; count: number }>,
    ) =>
      new Counter({
        name: `${METRIC_PREFIX}${name}`,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const series of all()) this.inc(series.labels, series.count);
        },
      });
    counted(
      "upstream_errors_total",
      "Failures providers reported for calls and model listings, by provider and error class",
      ["provider", "error"],
      () => tables.allUpstreamErrors(),
    );
    counted(
      "upstream_attempts_total",
      "Targets tried (each after its retries in place), by provider, model and outcome (ok or the error class); a call tries one, or more when it falls back",
      ["provider", "model", "outcome"],
      () => tables.allAttempts(),
    );
    counted(
      "upstream_retries_total",
      "Upstream calls sent again in place (UPSTREAM_RETRIES), by provider and the error class of the attempt before",
      ["provider", "error"],
      () => tables.allRetries(),
    );
    counted(
      "fallbacks_total",
      "Calls passed on from a target to the next one of its models-file model, by the target left (provider, model) and its error class",
      ["provider", "model", "error"],
      () => tables.allFallbacks(),
    );
    counted(
      "cooldowns_total",
      "Times a models-file target began to rest after COOLDOWN_FAILURES failed requests in a row, by provider and model",
      ["provider", "model"],
      () => tables.allCooldowns(),
    );
    this.observer = new MetricsObserver(tables);
  }

  /** Every metric in the Prometheus text format. */
  async text(): Promise<MetricsText> {
    const [calls, process] = await Promise.all([this.callsText(), processMetrics().metrics()]);
    return { contentType: this.contentType, body: [calls, process].join("\n") };
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  /**
   * The metrics of the calls, without Node's process metrics: counters,
   * the in-flight gauge and histograms, each of which adds up across
   * processes.
   */
  async callsText(): Promise<string> {
    const own = await this.#registry.metrics();
    const tables = this.#tables;
    const duration = histogramText(
      `${METRIC_PREFIX}request_duration_seconds`,
      "Time from the start of a call to its end (a stream's last chunk), by the labels of requests_total",
      tables.allCalls(),
    );
    const firstChunk = histogramText(
      `${METRIC_PREFIX}stream_first_chunk_seconds`,
      "Time from the start of a streamed call to its first chunk",
      Array.from(tables.allTargets(), (target) => ({ labels: target.firstChunkLabels, histogram: target.firstChunk })),
    );
    return [own, duration, firstChunk].join("\n");
  }
}
