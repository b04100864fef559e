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
