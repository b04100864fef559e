import type { ConverseStreamEvent } from "../../../wire/bedrock-converse.js";
import type { AnswerEvent, StreamEventMapper } from "../answer-chunks.js";
import { converseAnswerFields, converseUsage } from "./from-converse-response.js";
import { mapConverseStopReason } from "./map-stop-reason.js";

/** A reasoning block while its deltas arrive. */
interface OpenReasoning {
  text: string;
  signature: string;
  redacted?: string;
}

/**
 * Reads ConverseStream events: text deltas (text blocks have no start
 * event), reasoning deltas (the text as it comes; the whole block, signed
 * or redacted, at its stop), tool-use blocks (a start with id and name,
 * then JSON fragments), the stop reason in `messageStop`, usage, the
 * service tier and a guardrail trace in the `metadata` that follows it.
 */
export class ConverseStreamMapper implements StreamEventMapper<ConverseStreamEvent> {
  readonly #reasoning = new Map<number, OpenReasoning>();

  map(event: ConverseStreamEvent): AnswerEvent[] {
    if ("contentBlockStart" in event) {
      const { contentBlockIndex, start } = event.contentBlockStart;
      const use = start?.toolUse;
      return use ? [{ type: "tool-call-start", block: contentBlockIndex, id: use.toolUseId, name: use.name }] : [];
    }
    if ("contentBlockDelta" in event) {
      const { contentBlockIndex, delta } = event.contentBlockDelta;
      if ("text" in delta) return [{ type: "text", text: delta.text }];
      if ("toolUse" in delta) {
        return [{ type: "tool-call-arguments", block: contentBlockIndex, fragment: delta.toolUse.input }];
      }
      if ("reasoningContent" in delta) return this.#reason(contentBlockIndex, delta.reasoningContent);
      return [];
    }
    if ("contentBlockStop" in event) return this.#closeReasoning(event.contentBlockStop.contentBlockIndex);
    if ("messageStop" in event)
      return [{ type: "finish", reason: mapConverseStopReason(event.messageStop.stopReason) }];
    if ("metadata" in event) {
      const events: AnswerEvent[] = [];
      const usage = converseUsage(event.metadata.usage);
      if (usage) events.push({ type: "usage", usage });
      for (const [name, value] of Object.entries(converseAnswerFields(event.metadata) ?? {})) {
        events.push({ type: "answer-field", name, value });
      }
      return events;
    }
    return [];
  }

  #reason(index: number, delta: { text?: string; signature?: string; redactedContent?: string }): AnswerEvent[] {
    const open = this.#reasoning.get(index) ?? { text: "", signature: "" };
    this.#reasoning.set(index, open);
    if (delta.signature) open.signature += delta.signature;
    if (delta.redactedContent) open.redacted = (open.redacted ?? "") + delta.redactedContent;
    if (!delta.text) return [];
    open.text += delta.text;
    return [{ type: "reasoning", text: delta.text }];
  }

  #closeReasoning(index: number): AnswerEvent[] {
    const open = this.#reasoning.get(index);
    if (!open) return [];
    this.#reasoning.delete(index);
    const block =
      open.redacted !== undefined
        ? { type: "redacted_thinking", data: open.redacted }
        : { type: "thinking", thinking: open.text, signature: open.signature };
    return [{ type: "thinking-block", block }];
  }
}
