import type { ChatCompletionChunk, ChunkChoice, Usage } from "../../../gen/openbedrock/v1/chat_pb.js";
import { type BedrockInvocationMetrics, INVOCATION_METRICS_KEY } from "../../wire/bedrock-runtime.js";
import { type Clock, InvocationTimer, type TokenCounts } from "./invocation-metrics.js";

/**
 * What a stream in a Bedrock model's shape keeps of the canonical chunks
 * for its last events: the first choice's finish reason, the usage (which
 * the canonical stream reports last) and the timing of Bedrock's
 * invocation metrics, which run from the tally's making. Only the first
 * choice is carried: Bedrock models answer one.
 */
export class StreamTally {
  #finishReason: string | undefined;
  #usage: Usage | undefined;
  readonly #timer: InvocationTimer;

  /** Made when the stream starts. */
  constructor(now?: Clock) {
    this.#timer = new InvocationTimer(now);
  }

  /** Notes a chunk; answers its first choice, if it has one. */
  note(chunk: ChatCompletionChunk): ChunkChoice | undefined {
    this.#timer.chunk();
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (choice?.finishReason !== undefined) this.#finishReason = choice.finishReason;
    return choice;
  }

  get finishReason(): string | undefined {
    return this.#finishReason;
  }

  get usage(): Usage | undefined {
    return this.#usage;
  }

  /**
   * `amazon-bedrock-invocationMetrics` for the last event, counted from the
   * usage. Bedrock's metrics always carry counts: without a reported usage
   * there are none to send.
   */
  invocationMetrics(count: (usage: Usage) => TokenCounts): {
    [INVOCATION_METRICS_KEY]?: BedrockInvocationMetrics;
  } {
    return this.#usage ? { [INVOCATION_METRICS_KEY]: this.#timer.metrics(count(this.#usage)) } : {};
  }
}
