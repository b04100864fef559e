import { type RunningServer, startServer } from "./app.js";
import { type AppConfig, loadConfig } from "./config/load-config.js";
import { startupWarnings } from "./config/startup-warnings.js";
import { createLogger, logProcessWarnings } from "./logging.js";

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

/**
 * Reads the configuration, starts the server and runs it until SIGINT or
 * SIGTERM: what `open-bedrock serve` (and so `npm start`) does. Resolves once
 * the server listens.
 */
export async function serve(options: Parameters<typeof loadConfig>[0] = {}): Promise<RunningServer> {
  const config = loadConfig(options);
  const logger = createLogger(config.logLevel);
  logProcessWarnings(logger);
  if (config.clientKeys.generated) {
    process.stderr.write(
      `No API_KEY is set, so this run accepts only this generated key:\n\n    ${config.clientKeys.keys[0]}\n\nSet API_KEY (or API_KEYS) to choose your own.\n\n`,
    );
  }
  const server = await startServer(config, logger).catch((error: unknown) => {
    throw listenFailure(error, config) ?? error;
  });
  for (const warning of startupWarnings(config, options.env)) logger.warn(warning);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return server;
}
