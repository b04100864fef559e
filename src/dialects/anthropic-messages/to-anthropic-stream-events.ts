import type { ChatCompletionChunk, ThinkingBlock, ToolCallDelta } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { AnthropicStreamEvent, AnthropicUsage } from "../../wire/anthropic-messages.js";
import type { Clock, TokenCounts } from "../shared/invocation-metrics.js";
import { StreamTally } from "../shared/stream-tally.js";
import { toAnthropicStopReason } from "./map-finish-reason.js";
import { anthropicMessageId, toAnthropicUsage } from "./to-anthropic-response.js";

/** A tool call as its fragments arrive: its block is written once no more can come. */
interface GatheredCall {
  id: string;
  name: string;
  fragments: string[];
}

/** Anthropic's usage as the counts of Bedrock's invocation metrics. */
function tokenCounts(usage: AnthropicUsage): TokenCounts {
  return {
    input: usage.input_tokens,
    output: usage.output_tokens,
    ...(usage.cache_read_input_tokens == null ? {} : { cacheRead: usage.cache_read_input_tokens }),
  };
}

/**
 * Turns a stream of canonical chunks into Anthropic's stream events, one
 * instance per stream: `message_start` first; the reasoning as it comes, in
 * a thinking block (`thinking_delta`s, closed with its `signature_delta`
 * when the signed block arrives; redacted blocks whole); the text as it
 * comes, in one text block (`content_block_start`, `text_delta`s); at the
 * end the text block's `content_block_stop`, then each tool call as a `tool_use` block
 * with its arguments' fragments as `input_json_delta`s, then
 * `message_delta` with the stop reason and usage (which the canonical
 * stream reports last) and `message_stop`, which carries
 * `amazon-bedrock-invocationMetrics` as Bedrock's InvokeModelWithResponseStream
 * adds them. Only the first choice is carried.
 *
 * Tool calls wait for the end because an OpenAI-style stream may interleave
 * the fragments of several calls (and text) in any order, while an Anthropic
 * block takes deltas only between its start and its stop, one block at a
 * time, and cannot reopen.
 */
export class AnthropicStreamEvents {
  #started = false;
  /** The index the next content block gets. */
  #nextIndex = 0;
  /** The open thinking block, while its reasoning arrives. */
  #thinkingIndex: number | undefined;
  /** The text block's index, once it started. */
  #textIndex: number | undefined;
  /** Tool calls by their canonical index, in the order they first came. */
  #calls = new Map<number, GatheredCall>();
  readonly #tally: StreamTally;

  /** Made when the stream starts: the invocation metrics time from here. */
  constructor(now?: Clock) {
    this.#tally = new StreamTally(now);
  }

  chunk(chunk: ChatCompletionChunk): AnthropicStreamEvent[] {
    const choice = this.#tally.note(chunk);
    const events = this.#start(chunk.id, chunk.model);
    if (!choice) return events;
    const reasoning = choice.delta?.reasoningContent;
    if (reasoning) events.push(...this.#reason(reasoning));
    for (const block of choice.delta?.thinkingBlocks ?? []) events.push(...this.#thinkingBlock(block));
    const content = choice.delta?.content;
    if (content) events.push(...this.#text(content));
    for (const call of choice.delta?.toolCalls ?? []) this.#gather(call);
    return events;
  }

  /** The closing events, once the last chunk is through. */
  end(): AnthropicStreamEvent[] {
    return [
      ...this.#start("", ""),
      ...this.#closeThinking(),
      ...this.#closeText(),
      ...[...this.#calls.values()].flatMap((call) => this.#toolBlock(call, this.#nextIndex++)),
      {
        type: "message_delta",
        delta: { stop_reason: toAnthropicStopReason(this.#tally.finishReason), stop_sequence: null },
        usage: toAnthropicUsage(this.#tally.usage),
      },
      { type: "message_stop", ...this.#tally.invocationMetrics((usage) => tokenCounts(toAnthropicUsage(usage))) },
    ];
  }

  #start(id: string, model: string): AnthropicStreamEvent[] {
    if (this.#started) return [];
    this.#started = true;
    return [
      {
        type: "message_start",
        // Usage is known only at the end; message_delta carries it.
        message: {
          id: anthropicMessageId(id),
          type: "message",
          role: "assistant",
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      },
    ];
  }

  #reason(thinking: string): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (this.#thinkingIndex === undefined) {
      this.#thinkingIndex = this.#nextIndex++;
      events.push({
        type: "content_block_start",
        index: this.#thinkingIndex,
        content_block: { type: "thinking", thinking: "", signature: "" },
      });
    }
    events.push({
      type: "content_block_delta",
      index: this.#thinkingIndex,
      delta: { type: "thinking_delta", thinking },
    });
    return events;
  }

  /** A signed block ends the open thinking block with its signature; a redacted one is a block of its own. */
  #thinkingBlock(block: ThinkingBlock): AnthropicStreamEvent[] {
    if (block.type === "redacted_thinking") {
      const index = this.#nextIndex++;
      return [
        { type: "content_block_start", index, content_block: { type: "redacted_thinking", data: block.data } },
        { type: "content_block_stop", index },
      ];
    }
    const events = this.#thinkingIndex === undefined ? this.#reason(block.thinking) : [];
    const index = this.#thinkingIndex ?? 0;
    this.#thinkingIndex = undefined;
    return [
      ...events,
      { type: "content_block_delta", index, delta: { type: "signature_delta", signature: block.signature } },
      { type: "content_block_stop", index },
    ];
  }

  #closeThinking(): AnthropicStreamEvent[] {
    if (this.#thinkingIndex === undefined) return [];
    const index = this.#thinkingIndex;
    this.#thinkingIndex = undefined;
    return [{ type: "content_block_stop", index }];
  }

  #text(text: string): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (this.#textIndex === undefined) {
      events.push(...this.#closeThinking());
      this.#textIndex = this.#nextIndex++;
      events.push({ type: "content_block_start", index: this.#textIndex, content_block: { type: "text", text: "" } });
    }
    events.push({ type: "content_block_delta", index: this.#textIndex, delta: { type: "text_delta", text } });
    return events;
  }

  #closeText(): AnthropicStreamEvent[] {
    return this.#textIndex === undefined ? [] : [{ type: "content_block_stop", index: this.#textIndex }];
  }

  #gather(call: ToolCallDelta): void {
    const gathered = this.#calls.get(call.index) ?? { id: "", name: "", fragments: [] };
    this.#calls.set(call.index, gathered);
    // A call's first fragment carries its id and name.
    gathered.id ||= call.id ?? "";
    gathered.name ||= call.function?.name ?? "";
    const fragment = call.function?.arguments;
    if (fragment) gathered.fragments.push(fragment);
  }

  #toolBlock(call: GatheredCall, index: number): AnthropicStreamEvent[] {
    return [
      {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: call.id, name: call.name, input: {} },
      },
      ...call.fragments.map(
        (partial_json): AnthropicStreamEvent => ({
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json },
        }),
      ),
      { type: "content_block_stop", index },
    ];
  }
}
