import type { BedrockInvocationMetrics } from "../../wire/bedrock-runtime.js";

/** Milliseconds on a monotonic clock. */
export type Clock = () => number;

const monotonic: Clock = () => performance.now();

export interface TokenCounts {
  input: number;
  output: number;
  cacheRead?: number;
}

/**
 * Times one streamed answer the way Bedrock's `amazon-bedrock-invocationMetrics`
 * report it: from the start of the stream (made when the request is read,
 * before the upstream call) to its first chunk and to its end. Bedrock
 * clients (LangChain's, for one) read the token usage of an
 * InvokeModelWithResponseStream answer from these metrics on its last event.
 */
export class InvocationTimer {
  readonly #now: Clock;
  readonly #started: number;
  #firstChunk: number | undefined;

  constructor(now: Clock = monotonic) {
    this.#now = now;
    this.#started = now();
  }

  /** Notes a chunk of the answer; the first one is the first byte. */
  chunk(): void {
    this.#firstChunk ??= this.#now();
  }

  /** The metrics at the end of the answer. */
  metrics(counts: TokenCounts): BedrockInvocationMetrics {
    const end = this.#now();
    const since = (time: number) => Math.max(0, Math.round(time - this.#started));
    return {
      inputTokenCount: counts.input,
      outputTokenCount: counts.output,
      invocationLatency: since(end),
      firstByteLatency: since(this.#firstChunk ?? end),
      ...(counts.cacheRead === undefined ? {} : { cacheReadInputTokenCount: counts.cacheRead }),
    };
  }
}
