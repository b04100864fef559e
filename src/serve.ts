import { type RunningServer, type ServerOptions, startServer } from "./app.js";
import type { ConfigSourceOptions } from "./config/config-sources.js";
import { type AppConfig, loadConfig } from "./config/load-config.js";
import { startupWarnings } from "./config/startup-warnings.js";
import type { Logger } from "./core/logger.js";
import { limitHeapGrowth } from "./heap-growth.js";
import { createLogger, logProcessWarnings } from "./logging.js";
import { reloadModelsFile } from "./models-file-reloader.js";
import { type StopServer, stopOnSignals } from "./stop-on-signals.js";
import { startWorkers } from "./workers/start-workers.js";

/** Why the port could not be had, in the settings' own words; undefined for other failures. */
export function listenFailure(error: unknown, config: Pick<AppConfig, "host" | "port">): Error | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  const where = `port ${config.port} on ${config.host}`;
  const choose = "choose another port with PORT or --port";
  switch (code) {
    case "EADDRINUSE":
      return new Error(
        `Cannot listen on ${where}: another server is listening there (perhaps open-bedrock, already running). Stop it, or ${choose}.`,
        { cause: error },
      );
    case "EACCES":
      return new Error(`Not allowed to listen on ${where} (ports below 1024 need privileges): ${choose}.`, {
        cause: error,
      });
    case "EADDRNOTAVAIL":
      return new Error(
        `Cannot listen on ${config.host}: it is not an address of this machine. Set HOST or --host to one that is (127.0.0.1, or 0.0.0.0 for all).`,
        { cause: error },
      );
    default:
      return undefined;
  }
}

/** A server running in this process, and how to stop it. */
export interface ServerProcess {
  server: RunningServer;
  stop: StopServer;
}

/**
 * Starts the server in this process and stops it on SIGINT or SIGTERM: what
 * a single process runs, and each worker of `--workers`.
 */
export async function runServer(
  config: AppConfig,
  logger: Logger,
  options: ServerOptions = {},
): Promise<ServerProcess> {
  limitHeapGrowth(config.heapGrowthPercent);
  const server = await startServer(config, logger, options);
  return { server, stop: stopOnSignals(server, logger) };
}

/**
 * Reloads MODELS_FILE on SIGHUP and when the file changes, in the process
 * that read the configuration: the single server, or the primary of the
 * workers, which sends the file it read to every worker.
 */
function keepModelsFileCurrent(
  server: RunningServer,
  config: AppConfig,
  sources: ConfigSourceOptions,
  logger: Logger,
): void {
  const modelsFile = config.modelsFile && reloadModelsFile(server, config.modelsFile.path, sources, logger);
  process.on("SIGHUP", () => {
    if (modelsFile) modelsFile.reload("SIGHUP");
    else logger.info("SIGHUP: no MODELS_FILE to reload");
  });
}

/**
 * Reads the configuration, starts the server (or, with WORKERS above 1,
 * the workers that serve the port together) and runs it until SIGINT or
 * SIGTERM: what `open-bedrock serve` (and so `npm start`) does. SIGHUP, and
 * a change of the file itself, reload MODELS_FILE. Resolves once the server
 * listens.
 */
export async function serve(options: Parameters<typeof loadConfig>[0] = {}): Promise<RunningServer> {
  const config = loadConfig(options);
  const workers = config.workers > 1;
  // With workers, several processes write the log: each line says which.
  const logger = workers ? createLogger(config.logLevel).child({ pid: process.pid }) : createLogger(config.logLevel);
  logProcessWarnings(logger);
  if (config.clientKeys.generated) {
    process.stderr.write(
      `No API_KEY is set, so this run accepts only this generated key:\n\n    ${config.clientKeys.keys[0]}\n\nSet API_KEY (or API_KEYS) to choose your own.\n\n`,
    );
  }
  const started = workers
    ? startWorkers(config, logger).then((server) => ({ server, stop: stopOnSignals(server, logger) }))
    : runServer(config, logger);
  const { server } = await started.catch((error: unknown) => {
    throw listenFailure(error, config) ?? error;
  });
  for (const warning of startupWarnings(config, options.env)) logger.warn(warning);
  keepModelsFileCurrent(server, config, options, logger);
  return server;
}
