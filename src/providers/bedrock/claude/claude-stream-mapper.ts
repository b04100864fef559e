import type { AnthropicStreamEvent, AnthropicUsage } from "../../../wire/anthropic-messages.js";
import type { AnswerEvent, StreamEventMapper } from "../answer-chunks.js";
import { claudeUsage } from "./from-claude-response.js";
import { mapClaudeErrorEvent } from "./map-claude-error-event.js";
import { mapClaudeStopReason } from "./map-stop-reason.js";

/**
 * Reads Claude's stream events (decoded from the `chunk` frames): text and
 * tool-use blocks, the stop reason in `message_delta`, and usage from
 * `message_start` (input) and `message_delta` (final output count),
 * reported after `message_stop`. An `error` event ends the stream with the
 * matching error.
 */
export class ClaudeStreamMapper implements StreamEventMapper<unknown> {
  #usage: Partial<AnthropicUsage> | undefined;
  #outputTokens: number | undefined;

  map(value: unknown): AnswerEvent[] {
    const event = value as AnthropicStreamEvent;
    switch (event?.type) {
      case "message_start":
        this.#usage = event.message?.usage;
        return [];
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "tool_use") {
          return [{ type: "tool-call-start", block: event.index, id: block.id, name: block.name }];
        }
        return block.type === "text" && block.text ? [{ type: "text", text: block.text }] : [];
      }
      case "content_block_delta": {
        const delta = event.delta;
        if (delta.type === "text_delta") return [{ type: "text", text: delta.text }];
        if (delta.type === "input_json_delta") {
          return [{ type: "tool-call-arguments", block: event.index, fragment: delta.partial_json }];
        }
        return [];
      }
      case "message_delta": {
        this.#outputTokens = event.usage?.output_tokens ?? this.#outputTokens;
        if (event.usage) this.#usage = { ...this.#usage, ...withoutNulls(event.usage) };
        const stop = event.delta?.stop_reason;
        return stop ? [{ type: "finish", reason: mapClaudeStopReason(stop) }] : [];
      }
      case "message_stop": {
        const usage = claudeUsage(this.#usage, this.#outputTokens);
        return usage ? [{ type: "usage", usage }] : [];
      }
      case "error":
        throw mapClaudeErrorEvent(event);
      default:
        return [];
    }
  }
}

function withoutNulls(usage: object): Partial<AnthropicUsage> {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== null && value !== undefined));
}
