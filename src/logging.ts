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
  return (destination ? pino(options, destination) : pino(options)) as Logger;
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
