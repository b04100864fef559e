import type { RunningServer } from "./app.js";
import type { Logger } from "./core/logger.js";

/** Stops a server for a reason worth a log line (`{signal}`, `{reason}`), with its own grace time unless given one. */
export type StopServer = (why: Record<string, unknown>, graceMs?: number) => void;

/**
 * Drains the server and ends the process on SIGINT or SIGTERM (exit code 0
 * once every call is done, 1 if closing failed); a second signal ends it at
 * once. Answers the same stop for other reasons to stop, which does nothing
 * once stopping has begun.
 */
export function stopOnSignals(server: RunningServer, logger: Logger): StopServer {
  let stopping = false;
  const stop: StopServer = (why, graceMs) => {
    if (stopping) return;
    stopping = true;
    logger.info(why, "shutting down");
    server.close(graceMs).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stop({ signal });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return stop;
}
