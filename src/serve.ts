import { type RunningServer, startServer } from "./app.js";
import { loadConfig } from "./config/load-config.js";
import { createLogger } from "./logging.js";

/**
 * Reads the configuration, starts the server and runs it until SIGINT or
 * SIGTERM: what `npm start` and `open-bedrock serve` do. Resolves once the
 * server listens.
 */
export async function serve(options: Parameters<typeof loadConfig>[0] = {}): Promise<RunningServer> {
  const config = loadConfig(options);
  const logger = createLogger(config.logLevel);
  if (config.clientKeys.generated) {
    process.stderr.write(
      `No API_KEY is set, so this run accepts only this generated key:\n\n    ${config.clientKeys.keys[0]}\n\nSet API_KEY (or API_KEYS) to choose your own.\n\n`,
    );
  }
  const server = await startServer(config, logger);
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
