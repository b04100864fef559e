import type { NodeResponse } from "./http/node-http.js";

/** Why a request failed, for its log line: set where the failure is answered, read when the line is written. */
const failures = new WeakMap<NodeResponse, unknown>();

export function noteFailure(response: NodeResponse, failure: unknown): void {
  failures.set(response, failure);
}

export function failureOf(response: NodeResponse): unknown {
  return failures.get(response);
}

export interface FailureSummary {
  /** The error's class, e.g. `UpstreamError`. */
  class: string;
  message: string;
  /** What the upstream or the system said underneath, innermost last. */
  cause?: string;
}

const MAX_CAUSES = 4;

/**
 * A failure as its request's log line carries it: class, message and the
 * messages of its causes (an upstream's own words, a network error code).
 * The logger removes secrets from every line it writes.
 */
export function summarizeFailure(failure: unknown): FailureSummary {
  if (!(failure instanceof Error)) return { class: typeof failure, message: String(failure) };
  const causes: string[] = [];
  for (let cause = failure.cause, depth = 0; cause !== undefined && depth < MAX_CAUSES; depth += 1) {
    const text =
      cause instanceof Error
        ? [cause.name, (cause as { code?: unknown }).code, cause.message].filter(Boolean).join(" ")
        : String(cause);
    if (!causes.includes(text) && text !== failure.message) causes.push(text);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return {
    class: failure.name,
    message: failure.message,
    ...(causes.length > 0 ? { cause: causes.join(" <- ") } : {}),
  };
}
