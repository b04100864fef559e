import { type RunningServer, startServer } from "./app.js";
import { loadConfig } from "./config/load-config.js";
import { createLogger } from "./logging.js";
import { reloadModelsFile } from "./models-file-reloader.js";

/**
 * Reads the configuration, starts the server and runs it until SIGINT or
 * SIGTERM: what `npm start` and `open-bedrock serve` do. SIGHUP, and a
 * change of the file itself, reload MODELS_FILE. Resolves once the server
 * listens.
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
  const modelsFile = config.modelsFile && reloadModelsFile(server, config.modelsFile.path, options, logger);
  process.on("SIGHUP", () => {
    if (modelsFile) modelsFile.reload("SIGHUP");
    else logger.info("SIGHUP: no MODELS_FILE to reload");
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    modelsFile?.close();
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
