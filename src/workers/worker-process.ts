/**
 * A worker of `serve --workers N`: the primary runs this program N times.
 * It takes the configuration the primary read, serves the port the workers
 * share, answers with every worker's metrics when Prometheus scrapes it,
 * and drains when the primary says so or a signal comes (Ctrl-C reaches
 * every process of the terminal's group). If the primary dies, Node's
 * cluster ends the worker at once, so no worker outlives it.
 */
import type { RunningServer, StartLine } from "../app.js";
import type { AppConfig } from "../config/load-config.js";
import type { ModelsFile } from "../config/models-file.js";
import { createLogger, logProcessWarnings } from "../logging.js";
import type { GatewayMetrics } from "../metrics/gateway-metrics.js";
import { metricsReport } from "../metrics/worker-metrics.js";
import { runServer } from "../serve.js";
import type { StopServer } from "../stop-on-signals.js";
import type { MetricsText } from "../transport/http-routes.js";
import { readMessage, type ToPrimary, type ToWorker } from "./worker-messages.js";

/** How long a scrape waits for the primary to gather every worker's metrics. */
const METRICS_ANSWER_MS = 5000;

interface PendingMetrics {
  resolve(metrics: MetricsText): void;
  reject(error: Error): void;
}

let stop: StopServer | undefined;
let server: RunningServer | undefined;
/** Told to drain while still starting: stop as soon as it runs. */
let drainWhenStarted: number | undefined;
/** Given a models file while still starting: put it in force as soon as it runs. */
let modelsFileWhenStarted: { file: ModelsFile | undefined } | undefined;
let ownMetrics: GatewayMetrics | undefined;
const pendingMetrics = new Map<number, PendingMetrics>();
let nextMetricsRequest = 1;

function send(message: ToPrimary, then?: () => void): void {
  if (!process.connected) return;
  process.send?.(message, undefined, undefined, () => then?.());
}

/** The answer of `GET /metrics` in a worker: every worker's metrics, which the primary gathers. */
function everyWorkersMetrics(): Promise<MetricsText> {
  return new Promise((resolve, reject) => {
    const id = nextMetricsRequest++;
    const timer = setTimeout(() => {
      pendingMetrics.delete(id);
      reject(new Error("The primary process did not answer with the workers' metrics in time."));
    }, METRICS_ANSWER_MS);
    const settle = () => {
      clearTimeout(timer);
      pendingMetrics.delete(id);
    };
    pendingMetrics.set(id, {
      resolve: (metrics) => {
        settle();
        resolve(metrics);
      },
      reject: (error) => {
        settle();
        reject(error);
      },
    });
    send({ kind: "collect-metrics", id });
  });
}

async function start(config: AppConfig): Promise<void> {
  const logger = createLogger(config.logLevel).child({ pid: process.pid });
  logProcessWarnings(logger);
  // A hang-up sent to the whole process group reaches the workers too; without a
  // listener it would end them. The primary reloads the models file and sends it on.
  process.on("SIGHUP", () => logger.debug({ signal: "SIGHUP" }, "signal left to the primary"));
  let startLine: StartLine | undefined;
  try {
    const running = await runServer(config, logger, {
      // The primary logs it once for all workers.
      announce: (line) => {
        startLine = line;
      },
      metrics: (own) => {
        ownMetrics = own;
        return everyWorkersMetrics;
      },
    });
    stop = running.stop;
    server = running.server;
    if (modelsFileWhenStarted) server.reloadModels(modelsFileWhenStarted.file);
    if (drainWhenStarted !== undefined) {
      stop({ reason: "the primary process is stopping" }, drainWhenStarted);
      return;
    }
    const { url, port } = running.server;
    send({ kind: "listening", url, port, startLine: startLine ?? { fields: { url }, message: `listening on ${url}` } });
  } catch (error) {
    const { message, code } = error as { message?: string; code?: unknown };
    send({ kind: "failed", message: message ?? String(error), ...(typeof code === "string" ? { code } : {}) }, () =>
      process.exit(1),
    );
  }
}

process.on("message", (raw: unknown) => {
  const message = readMessage<ToWorker>(raw);
  switch (message?.kind) {
    case "start":
      void start(message.config);
      break;
    case "models-file":
      if (server) server.reloadModels(message.file);
      else modelsFileWhenStarted = { file: message.file };
      break;
    case "drain":
      if (stop) stop({ reason: "the primary process is stopping" }, message.graceMs);
      else drainWhenStarted = message.graceMs;
      break;
    case "report-metrics":
      if (ownMetrics) {
        void metricsReport(ownMetrics).then((report) => send({ kind: "metrics-report", id: message.id, report }));
      }
      break;
    case "metrics":
      pendingMetrics.get(message.id)?.resolve(message.metrics);
      break;
    case "metrics-failed":
      pendingMetrics.get(message.id)?.reject(new Error(message.message));
      break;
  }
});

send({ kind: "ready" });
