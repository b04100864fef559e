import type { StartLine } from "../app.js";
import type { AppConfig } from "../config/load-config.js";
import type { ModelsFile } from "../config/models-file.js";
import type { MetricsReport } from "../metrics/worker-metrics.js";
import type { MetricsText } from "../transport/http-routes.js";

/** What the primary tells a worker. */
export type ToWorker =
  /** The configuration to serve, read once by the primary (a generated key included). */
  | { kind: "start"; config: AppConfig }
  /** The models file the primary read again (undefined: none): put it in force. */
  | { kind: "models-file"; file: ModelsFile | undefined }
  /** Stop accepting, let what runs finish for up to `graceMs`, then exit. */
  | { kind: "drain"; graceMs: number }
  /** Send this worker's metrics for the collection `id`. */
  | { kind: "report-metrics"; id: number }
  /** Every worker's metrics, answering the worker's request `id`. */
  | { kind: "metrics"; id: number; metrics: MetricsText }
  | { kind: "metrics-failed"; id: number; message: string };

/** What a worker tells the primary. */
export type ToPrimary =
  /** Listening for messages: the primary may send `start`. */
  | { kind: "ready" }
  | { kind: "listening"; url: string; port: number; startLine: StartLine }
  /** The server could not start; `code` as Node's error had it (EADDRINUSE...). */
  | { kind: "failed"; message: string; code?: string }
  /** A scrape arrived: the worker asks for everyone's metrics, as request `id`. */
  | { kind: "collect-metrics"; id: number }
  | { kind: "metrics-report"; id: number; report: MetricsReport };

/** A message from another of our processes, or undefined for anything else on the channel. */
export function readMessage<M extends { kind: string }>(value: unknown): M | undefined {
  const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  return typeof kind === "string" ? (value as M) : undefined;
}
