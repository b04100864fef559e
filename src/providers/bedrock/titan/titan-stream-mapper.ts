import type { TitanTextStreamChunk } from "../../../wire/titan-text.js";
import type { AnswerEvent, StreamEventMapper } from "../answer-chunks.js";
import { usageOf } from "../assistant-answer.js";
import { mapTitanCompletionReason } from "./map-completion-reason.js";

/**
 * Reads Titan's stream chunks: text in every chunk, the prompt count in the
 * first, the completion reason and output count in the last.
 */
export class TitanStreamMapper implements StreamEventMapper<unknown> {
  #promptTokens: number | undefined;

  map(value: unknown): AnswerEvent[] {
    const chunk = value as Partial<TitanTextStreamChunk>;
    const events: AnswerEvent[] = [];
    if (typeof chunk.inputTextTokenCount === "number") this.#promptTokens = chunk.inputTextTokenCount;
    if (typeof chunk.outputText === "string" && chunk.outputText !== "") {
      events.push({ type: "text", text: chunk.outputText });
    }
    if (chunk.completionReason) {
      events.push({ type: "finish", reason: mapTitanCompletionReason(chunk.completionReason) });
      const metrics = chunk["amazon-bedrock-invocationMetrics"];
      const prompt = this.#promptTokens ?? metrics?.inputTokenCount;
      const completion = chunk.totalOutputTextTokenCount ?? metrics?.outputTokenCount;
      if (prompt !== undefined && completion !== undefined) {
        events.push({ type: "usage", usage: usageOf(prompt, completion) });
      }
    }
    return events;
  }
}
