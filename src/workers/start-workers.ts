import cluster, { type Worker } from "node:cluster";
import { fileURLToPath } from "node:url";
import { configuredSecrets, type RunningServer, type StartLine } from "../app.js";
import type { AppConfig } from "../config/load-config.js";
import type { ModelsFile } from "../config/models-file.js";
import { modelsFileSecrets } from "../config/named-provider-configs.js";
import type { Logger } from "../core/logger.js";
import { registerSecrets } from "../core/redact-secrets.js";
import { type MetricsReport, mergeMetricsReports } from "../metrics/worker-metrics.js";
import { RestartBackoff } from "./restart-backoff.js";
import { readMessage, type ToPrimary, type ToWorker } from "./worker-messages.js";

/** The program each worker runs: compiled beside this file, or its source when run from the sources (tsx). */
const WORKER_ENTRY = fileURLToPath(
  new URL(`./worker-process${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url),
);
/** How long a scrape waits for each worker's metrics; a worker that is too busy to answer is left out. */
const METRICS_WAIT_MS = 2000;
/** After the grace time, how long the workers get to exit before they are killed. */
const EXIT_MARGIN_MS = 5000;

interface Listening {
  pid: number | undefined;
  url: string;
  port: number;
  startLine: StartLine;
}

interface WorkerState {
  worker: Worker;
  startedAt: number;
  listening: boolean;
}

/** One scrape's metrics, as the workers send them. */
class MetricsCollection {
  readonly reports: MetricsReport[] = [];
  readonly #waiting: Set<number>;
  readonly done: Promise<void>;
  #resolve = () => {};

  constructor(workerIds: number[]) {
    this.#waiting = new Set(workerIds);
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (this.#waiting.size === 0) this.#resolve();
  }

  get missing(): number[] {
    return [...this.#waiting];
  }

  add(workerId: number, report: MetricsReport): void {
    if (!this.#waiting.delete(workerId)) return;
    this.reports.push(report);
    if (this.#waiting.size === 0) this.#resolve();
  }

  /** A worker that died answers no more. */
  drop(workerId: number): void {
    if (this.#waiting.delete(workerId) && this.#waiting.size === 0) this.#resolve();
  }
}

/**
 * The primary process of `serve --workers N`: it forks the workers (each
 * serves the one port; Node's cluster hands each new connection to the next
 * worker in turn), replaces a worker that dies, answers their requests for
 * every worker's metrics, and drains them all on close. The configuration
 * is read once, here, and sent to each worker, so all of them (and any
 * replacement) serve the same one, a generated key included. So is the
 * models file when it is read again: each worker gets the very file the
 * primary checked, and a replacement starts with the one in force.
 */
class WorkerPool {
  #config: AppConfig;
  readonly #logger: Logger;
  readonly #workers = new Map<number, WorkerState>();
  readonly #collections = new Map<number, MetricsCollection>();
  readonly #backoff = new RestartBackoff();
  readonly #restarts = new Set<NodeJS.Timeout>();
  #nextCollection = 1;
  /** From the moment every first worker listens until close: a worker that dies is replaced. */
  #serving = false;
  #allExited: (() => void) | undefined;

  constructor(config: AppConfig, logger: Logger) {
    this.#config = config;
    this.#logger = logger;
    cluster.on("exit", (worker, code, signal) => this.#exited(worker, code, signal));
  }

  async start(): Promise<RunningServer> {
    const started = await Promise.allSettled(Array.from({ length: this.#config.workers }, () => this.#fork()));
    const failures = started.flatMap((result) => (result.status === "rejected" ? [result.reason as Error] : []));
    if (failures.length > 0) {
      await this.#stopAll(0);
      // A worker's own account (a port taken) says more than another's exit.
      throw failures.find((failure) => "code" in failure) ?? failures[0];
    }
    const first = (started[0] as PromiseFulfilledResult<Listening>).value;
    this.#serving = true;
    this.#logger.info({ ...first.startLine.fields, workers: this.#config.workers }, first.startLine.message);
    return {
      url: first.url,
      port: first.port,
      host: this.#config.host,
      close: (graceMs = this.#config.shutdownGraceMs) => this.#close(graceMs),
      reloadModels: (file) => this.#reloadModels(file),
    };
  }

  /** Forks a worker; resolves once it listens, rejects when it cannot start. */
  #fork(): Promise<Listening> {
    const worker = cluster.fork();
    const state: WorkerState = { worker, startedAt: Date.now(), listening: false };
    this.#workers.set(worker.id, state);
    return new Promise<Listening>((resolve, reject) => {
      const exitedFirst = (code: number | null, signal: string | null) =>
        reject(
          new Error(
            `A worker (pid ${worker.process.pid}) ended before it listened (${signal ?? `exit code ${code}`}).`,
          ),
        );
      worker.once("exit", exitedFirst);
      worker.on("message", (raw: unknown) => {
        const message = readMessage<ToPrimary>(raw);
        switch (message?.kind) {
          case "ready":
            this.#send(worker, { kind: "start", config: this.#config });
            break;
          case "listening":
            state.listening = true;
            worker.off("exit", exitedFirst);
            resolve({ ...message, pid: worker.process.pid });
            break;
          case "failed":
            worker.off("exit", exitedFirst);
            reject(Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code }));
            break;
          case "collect-metrics":
            void this.#collectMetrics(worker, message.id);
            break;
          case "metrics-report":
            this.#collections.get(message.id)?.add(worker.id, message.report);
            break;
        }
      });
    });
  }

  #send(worker: Worker, message: ToWorker): void {
    if (!worker.isConnected()) return;
    // A worker that is going away cannot be told anything more; its exit is handled on its own.
    worker.send(message, undefined, (error: Error | null) => {
      if (error) this.#logger.debug({ err: error, pid: worker.process.pid }, "message to a worker lost");
    });
  }

  #exited(worker: Worker, code: number | null, signal: string | null): void {
    const state = this.#workers.get(worker.id);
    if (!state) return;
    this.#workers.delete(worker.id);
    for (const collection of this.#collections.values()) collection.drop(worker.id);
    if (this.#workers.size === 0) this.#allExited?.();
    if (!this.#serving) return;
    const restartInMs = this.#backoff.next(Date.now() - state.startedAt);
    this.#logger.warn(
      { worker: worker.process.pid, code, signal, restartInMs },
      "a worker ended unexpectedly; starting another",
    );
    const restart = setTimeout(() => {
      this.#restarts.delete(restart);
      if (!this.#serving) return;
      this.#fork().then(
        (started) => this.#logger.info({ worker: started.pid }, "a new worker is serving"),
        // Its exit starts the next attempt, after a longer wait.
        (error: unknown) => this.#logger.error({ err: error }, "a new worker could not start"),
      );
    }, restartInMs);
    this.#restarts.add(restart);
  }

  #reloadModels(file: ModelsFile | undefined): void {
    // The primary's own log lines are scrubbed of the new file's secrets too.
    if (file) registerSecrets(...modelsFileSecrets(file));
    this.#config = { ...this.#config, modelsFile: file };
    const pids = [...this.#workers.values()].map((state) => state.worker.process.pid);
    this.#logger.info({ workers: pids }, "models file passed on to the workers");
    for (const { worker } of this.#workers.values()) this.#send(worker, { kind: "models-file", file });
  }

  /** Asks every listening worker for its metrics and answers the worker that asked with their sum. */
  async #collectMetrics(asking: Worker, requestId: number): Promise<void> {
    const id = this.#nextCollection++;
    const listening = [...this.#workers.values()].filter((state) => state.listening);
    const collection = new MetricsCollection(listening.map((state) => state.worker.id));
    this.#collections.set(id, collection);
    for (const { worker } of listening) this.#send(worker, { kind: "report-metrics", id });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([collection.done, new Promise((resolve) => (timer = setTimeout(resolve, METRICS_WAIT_MS)))]);
    clearTimeout(timer);
    this.#collections.delete(id);
    if (collection.missing.length > 0) {
      const pids = collection.missing.map((workerId) => this.#workers.get(workerId)?.worker.process.pid);
      this.#logger.warn({ workers: pids }, "metrics left out: these workers did not answer in time");
    }
    try {
      const metrics = await mergeMetricsReports(collection.reports);
      this.#send(asking, { kind: "metrics", id: requestId, metrics });
    } catch (error) {
      this.#logger.error({ err: error }, "merging the workers' metrics failed");
      this.#send(asking, {
        kind: "metrics-failed",
        id: requestId,
        message: "The workers' metrics could not be merged.",
      });
    }
  }

  async #close(graceMs: number): Promise<void> {
    this.#serving = false;
    for (const restart of this.#restarts) clearTimeout(restart);
    this.#restarts.clear();
    await this.#stopAll(graceMs);
  }

  /** Tells every worker to drain, and kills those still running when the grace time (and a margin) is over. */
  async #stopAll(graceMs: number): Promise<void> {
    if (this.#workers.size === 0) return;
    const exited = new Promise<void>((resolve) => {
      this.#allExited = resolve;
    });
    for (const { worker } of this.#workers.values()) this.#send(worker, { kind: "drain", graceMs });
    const kill = setTimeout(() => {
      for (const { worker } of this.#workers.values()) worker.process.kill("SIGKILL");
    }, graceMs + EXIT_MARGIN_MS);
    await exited;
    clearTimeout(kill);
  }
}

/**
 * Runs `config.workers` processes serving the configured port together, and
 * answers once all of them listen; the start line is logged once, here.
 */
export function startWorkers(config: AppConfig, logger: Logger): Promise<RunningServer> {
  // The primary logs too (a worker's failure, say): its lines are scrubbed of the same secrets.
  registerSecrets(...configuredSecrets(config));
  // Structured clones, not JSON: a models file holds a Map (its anthropic_models).
  cluster.setupPrimary({ exec: WORKER_ENTRY, args: [], serialization: "advanced" });
  return new WorkerPool(config, logger).start();
}
