import { collectDefaultMetrics, Registry } from "prom-client";

/** The prefix of every metric the server exports. */
export const METRIC_PREFIX = "open_bedrock_";

let shared: Registry | undefined;

/**
 * Node's own metrics (CPU, memory, event loop lag, GC, handles) under the
 * server's prefix. They describe the process, and collecting them starts
 * observers that are never stopped, so there is one set per process however
 * many servers it runs.
 */
export function processMetrics(): Registry {
  if (shared === undefined) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix: METRIC_PREFIX });
  }
  return shared;
}
