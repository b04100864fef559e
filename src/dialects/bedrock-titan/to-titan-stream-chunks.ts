import type { ChatCompletionChunk, Usage } from "../../../gen/openbedrock/v1/chat_pb.js";
import { INVOCATION_METRICS_KEY } from "../../wire/bedrock-runtime.js";
import type { TitanCompletionReason, TitanTextStreamChunk } from "../../wire/titan-text.js";
import { type Clock, InvocationTimer } from "../shared/invocation-metrics.js";
import { toTitanCompletionReason } from "./map-finish-reason.js";

function titanChunk(outputText: string): TitanTextStreamChunk {
  return {
    outputText,
    index: 0,
    totalOutputTextTokenCount: null,
    completionReason: null,
    inputTextTokenCount: null,
  };
}

/**
 * Turns a stream of canonical chunks into Titan's stream chunks, one
 * instance per stream: one chunk per text delta, then a last chunk with the
 * completion reason, the token counts and, as Bedrock adds them, the
 * `amazon-bedrock-invocationMetrics` (the canonical stream reports usage
 * last, so the prompt count comes on the last chunk rather than the first).
 * Only the first choice's text is carried.
 */
export class TitanStreamChunks {
  #reason: TitanCompletionReason | undefined;
  #usage: Usage | undefined;
  readonly #timer: InvocationTimer;

  /** Made when the stream starts: the invocation metrics time from here. */
  constructor(now?: Clock) {
    this.#timer = new InvocationTimer(now);
  }

  chunk(chunk: ChatCompletionChunk): TitanTextStreamChunk[] {
    this.#timer.chunk();
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return [];
    if (choice.finishReason !== undefined) this.#reason = toTitanCompletionReason(choice.finishReason);
    const text = choice.delta?.content;
    return text ? [titanChunk(text)] : [];
  }

  /** The last chunk, once the last canonical chunk is through. */
  end(): TitanTextStreamChunk[] {
    const usage = this.#usage;
    return [
      {
        ...titanChunk(""),
        totalOutputTextTokenCount: usage?.completionTokens ?? null,
        completionReason: this.#reason ?? "FINISH",
        inputTextTokenCount: usage?.promptTokens ?? null,
        // Bedrock's metrics always carry counts: without a reported usage there are none to send.
        ...(usage
          ? {
              [INVOCATION_METRICS_KEY]: this.#timer.metrics({
                input: usage.promptTokens,
                output: usage.completionTokens,
              }),
            }
          : {}),
      },
    ];
  }
}
