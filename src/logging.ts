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
  return pino(options, destination ?? stdoutPerTurn()) as Logger;
}

/**
 * stdout, written once per turn of the event loop: one write per line was a
 * write system call per request (5-8% of a request's CPU in the bench's
 * profiles). Under load a turn serves many requests, whose lines go out
 * together at its end; a quiet server's lines go out at once. pino flushes
 * what is left when the process exits.
 */
let perTurn: { write(line: string): void } | undefined;
function stdoutPerTurn() {
  // Whoever replaced stdout's write (an embedding program) gets the lines through it, as pino would do.
  if (process.stdout.write !== Object.getPrototypeOf(process.stdout).write) return process.stdout;
  // One for the process, whatever number of loggers write to it.
  if (perTurn) return perTurn;
  // Asynchronous: a write goes out at once, and what comes while one is under way goes out after it.
  const out = pino.destination({ dest: 1, sync: false });
  let pending = "";
  const flush = () => {
    const text = pending;
    pending = "";
    if (text) out.write(text);
  };
  // Before pino's own exit handler, which writes what the destination still holds.
  process.prependListener("exit", flush);
  perTurn = {
    write(line: string): void {
      if (pending === "") setImmediate(flush);
      pending += line;
    },
  };
  return perTurn;
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
