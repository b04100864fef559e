import type { ChatCompletionChunk, Usage } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { TitanCompletionReason, TitanTextStreamChunk } from "../../wire/titan-text.js";
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
 * completion reason and the token counts (the canonical stream reports
 * usage last, so the prompt count comes on the last chunk rather than the
 * first). Only the first choice's text is carried.
 */
export class TitanStreamChunks {
  #reason: TitanCompletionReason | undefined;
  #usage: Usage | undefined;

  chunk(chunk: ChatCompletionChunk): TitanTextStreamChunk[] {
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return [];
    if (choice.finishReason !== undefined) this.#reason = toTitanCompletionReason(choice.finishReason);
    const text = choice.delta?.content;
    return text ? [titanChunk(text)] : [];
  }

  /** The last chunk, once the last canonical chunk is through. */
  end(): TitanTextStreamChunk[] {
    return [
      {
        ...titanChunk(""),
        totalOutputTextTokenCount: this.#usage?.completionTokens ?? null,
        completionReason: this.#reason ?? "FINISH",
        inputTextTokenCount: this.#usage?.promptTokens ?? null,
      },
    ];
  }
}
