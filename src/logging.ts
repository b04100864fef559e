import type { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "./core/logger.js";
import { redactSecrets } from "./core/redact-secrets.js";

/** The server's structured logger: one JSON object per line on stdout. */
export function createLogger(level: string, destination?: Writable): Logger {
  const options = {
    level,
    base: { service: "open-bedrock" },
    // Nothing the server logs should carry credentials, but error causes carry
    // upstream texts: each line is scrubbed of secrets before it is written.
    hooks: { streamWrite: redactSecrets },
  };
  return pino(options, destination ?? stdoutInBatches()) as Logger;
}

/**
 * stdout, written a few KiB at a time: one write per line was a write
 * system call per request (5-8% of a request's CPU in the bench's
 * profiles). Lines wait at most LOG_FLUSH_MS; pino flushes what is left
 * when the process exits.
 */
const LOG_BATCH_BYTES = 4096;
const LOG_FLUSH_MS = 100;
function stdoutInBatches() {
  // Whoever replaced stdout's write (an embedding program) gets the lines through it, as pino would do.
  if (process.stdout.write !== Object.getPrototypeOf(process.stdout).write) return process.stdout;
  return pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
}

/**
 * Sends the process's warnings (the AWS SDK's multi-line notice that its
 * later releases need a newer Node, deprecations) through the logger as one
 * line each, in place of Node's own lines on stderr among the JSON log.
 */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    logger.warn({ warning: warning.name }, warning.message.replace(/\s*\n\s*/g, " ").trim());
  });
}
