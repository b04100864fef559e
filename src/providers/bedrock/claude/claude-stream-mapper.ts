import type { AnthropicStreamEvent } from "../../../wire/anthropic-messages.js";
import type { AnswerEvent, StreamEventMapper } from "../answer-chunks.js";
import { type ClaudeGuardrailFields, ClaudeStreamUsage, claudeGuardrail } from "./from-claude-response.js";
import { mapClaudeErrorEvent } from "./map-claude-error-event.js";
import { mapClaudeStopReason } from "./map-stop-reason.js";

/** A thinking block while its deltas arrive. */
interface OpenThinking {
  thinking: string;
  signature: string;
}

/**
 * Reads Claude's stream events (decoded from the `chunk` frames): text,
 * thinking (its text as it comes; the whole block, signed, at its stop;
 * a redacted block at its start) and tool-use blocks, the stop reason in
 * `message_delta`, usage from `message_start` (input and cache counts) and
 * `message_delta` (final output count), reported after `message_stop`, and
 * Bedrock's guardrail verdict wherever it comes. An `error` event ends the
 * stream with the matching error.
 */
export class ClaudeStreamMapper implements StreamEventMapper<unknown> {
  readonly #usage = new ClaudeStreamUsage();
  readonly #thinking = new Map<number, OpenThinking>();

  map(value: unknown): AnswerEvent[] {
    const event = value as AnthropicStreamEvent;
    const events = this.#read(event);
    const guardrail = claudeGuardrail((event ?? {}) as ClaudeGuardrailFields);
    if (guardrail.intervened) events.push({ type: "intervened" });
    if (guardrail.trace !== undefined)
      events.push({ type: "answer-field", name: "guardrail_trace", value: guardrail.trace });
    return events;
  }

  #read(event: AnthropicStreamEvent): AnswerEvent[] {
    switch (event?.type) {
      case "message_start":
        this.#usage.start(event.message?.usage);
        return [];
      case "content_block_start": {
        const block = event.content_block;
        switch (block.type) {
          case "tool_use":
            return [{ type: "tool-call-start", block: event.index, id: block.id, name: block.name }];
          case "thinking":
            this.#thinking.set(event.index, { thinking: block.thinking ?? "", signature: block.signature ?? "" });
            return block.thinking ? [{ type: "reasoning", text: block.thinking }] : [];
          case "redacted_thinking":
            return [{ type: "thinking-block", block: { type: "redacted_thinking", data: block.data } }];
          case "text":
            return block.text ? [{ type: "text", text: block.text }] : [];
          default:
            return [];
        }
      }
      case "content_block_delta": {
        const delta = event.delta;
        switch (delta.type) {
          case "text_delta":
            return [{ type: "text", text: delta.text }];
          case "input_json_delta":
            return [{ type: "tool-call-arguments", block: event.index, fragment: delta.partial_json }];
          case "thinking_delta": {
            const open = this.#thinking.get(event.index);
            if (open) open.thinking += delta.thinking;
            return [{ type: "reasoning", text: delta.thinking }];
          }
          case "signature_delta": {
            const open = this.#thinking.get(event.index);
            if (open) open.signature += delta.signature;
            return [];
          }
          default:
            return [];
        }
      }
      case "content_block_stop": {
        const open = this.#thinking.get(event.index);
        if (!open) return [];
        this.#thinking.delete(event.index);
        return [{ type: "thinking-block", block: { type: "thinking", ...open } }];
      }
      case "message_delta": {
        this.#usage.delta(event.usage);
        const stop = event.delta?.stop_reason;
        return stop ? [{ type: "finish", reason: mapClaudeStopReason(stop) }] : [];
      }
      case "message_stop": {
        const usage = this.#usage.total();
        return usage ? [{ type: "usage", usage }] : [];
      }
      case "error":
        throw mapClaudeErrorEvent(event);
      default:
        return [];
    }
  }
}
