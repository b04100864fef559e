import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { TitanTextStreamChunk } from "../../wire/titan-text.js";
import type { Clock } from "../shared/invocation-metrics.js";
import { StreamTally } from "../shared/stream-tally.js";
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
  readonly #tally: StreamTally;

  /** Made when the stream starts: the invocation metrics time from here. */
  constructor(now?: Clock) {
    this.#tally = new StreamTally(now);
  }

  chunk(chunk: ChatCompletionChunk): TitanTextStreamChunk[] {
    const text = this.#tally.note(chunk)?.delta?.content;
    return text ? [titanChunk(text)] : [];
  }

  /** The last chunk, once the last canonical chunk is through. */
  end(): TitanTextStreamChunk[] {
    const usage = this.#tally.usage;
    return [
      {
        ...titanChunk(""),
        totalOutputTextTokenCount: usage?.completionTokens ?? null,
        completionReason: toTitanCompletionReason(this.#tally.finishReason),
        inputTextTokenCount: usage?.promptTokens ?? null,
        ...this.#tally.invocationMetrics((reported) => ({
          input: reported.promptTokens,
          output: reported.completionTokens,
        })),
      },
    ];
  }
}
