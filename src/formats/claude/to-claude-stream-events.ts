import type { ChatCompletionChunk, ToolCallDelta, Usage } from "../../../gen/openbedrock/v1/chat_pb.js";
import type {
  AnthropicContentBlock,
  AnthropicStopReason,
  AnthropicStreamEvent,
} from "../../wire/anthropic-messages.js";
import { INVOCATION_METRICS_KEY } from "../../wire/bedrock-runtime.js";
import { type Clock, InvocationTimer } from "../invocation-metrics.js";
import { toClaudeStopReason } from "./map-finish-reason.js";
import { claudeMessageId, toClaudeUsage } from "./to-claude-response.js";

interface OpenBlock {
  index: number;
  kind: "text" | "tool_use";
}

/**
 * Turns a stream of canonical chunks into Anthropic's stream events, one
 * instance per stream: `message_start` first; text and tool calls as
 * content blocks (`content_block_start`, `text_delta` / `input_json_delta`
 * deltas, `content_block_stop`), a new block whenever the kind of content
 * changes; at the end `message_delta` with the stop reason and usage (which
 * the canonical stream reports last) and `message_stop`, which carries
 * `amazon-bedrock-invocationMetrics` as Bedrock's InvokeModelWithResponseStream
 * adds them. Only the first choice is carried.
 */
export class ClaudeStreamEvents {
  #started = false;
  #open: OpenBlock | undefined;
  #blocks = 0;
  /** The content block of each tool call, by the call's canonical index. */
  #toolBlocks = new Map<number, number>();
  #stopReason: AnthropicStopReason | undefined;
  #usage: Usage | undefined;
  readonly #timer: InvocationTimer;

  /** Made when the stream starts: the invocation metrics time from here. */
  constructor(now?: Clock) {
    this.#timer = new InvocationTimer(now);
  }

  chunk(chunk: ChatCompletionChunk): AnthropicStreamEvent[] {
    this.#timer.chunk();
    const events = this.#start(chunk.id, chunk.model);
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return events;
    const content = choice.delta?.content;
    if (content) events.push(...this.#text(content));
    for (const call of choice.delta?.toolCalls ?? []) events.push(...this.#toolCall(call));
    if (choice.finishReason !== undefined) {
      events.push(...this.#close());
      this.#stopReason = toClaudeStopReason(choice.finishReason);
    }
    return events;
  }

  /** The closing events, once the last chunk is through. */
  end(): AnthropicStreamEvent[] {
    const usage = toClaudeUsage(this.#usage);
    return [
      ...this.#start("", ""),
      ...this.#close(),
      {
        type: "message_delta",
        delta: { stop_reason: this.#stopReason ?? "end_turn", stop_sequence: null },
        usage,
      },
      {
        type: "message_stop",
        // Bedrock's metrics always carry counts: without a reported usage there are none to send.
        ...(this.#usage
          ? {
              [INVOCATION_METRICS_KEY]: this.#timer.metrics({
                input: usage.input_tokens,
                output: usage.output_tokens,
                ...(usage.cache_read_input_tokens == null ? {} : { cacheRead: usage.cache_read_input_tokens }),
              }),
            }
          : {}),
      },
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
          id: claudeMessageId(id),
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

  #openBlock(kind: OpenBlock["kind"], block: AnthropicContentBlock): AnthropicStreamEvent[] {
    const events = this.#close();
    this.#open = { index: this.#blocks, kind };
    this.#blocks += 1;
    events.push({ type: "content_block_start", index: this.#open.index, content_block: block });
    return events;
  }

  #close(): AnthropicStreamEvent[] {
    if (!this.#open) return [];
    const index = this.#open.index;
    this.#open = undefined;
    return [{ type: "content_block_stop", index }];
  }

  #text(text: string): AnthropicStreamEvent[] {
    const events = this.#open?.kind === "text" ? [] : this.#openBlock("text", { type: "text", text: "" });
    const index = this.#open?.index ?? 0;
    events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text } });
    return events;
  }

  #toolCall(call: ToolCallDelta): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    let index = this.#toolBlocks.get(call.index);
    if (index === undefined) {
      // A call's first fragment carries its id and name.
      events.push(
        ...this.#openBlock("tool_use", {
          type: "tool_use",
          id: call.id ?? "",
          name: call.function?.name ?? "",
          input: {},
        }),
      );
      index = this.#open?.index ?? 0;
      this.#toolBlocks.set(call.index, index);
    }
    // A late fragment of an earlier call still goes to that call's block:
    // Claude's blocks cannot reopen, and readers gather input by block index.
    const fragment = call.function?.arguments;
    if (fragment) {
      events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: fragment } });
    }
    return events;
  }
}
