import { create, type JsonObject, type JsonValue, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type DeltaSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { newCompletionId, unixSeconds } from "../../core/completion-id.js";
import { UpstreamError } from "../../core/errors.js";
import type { FinishReason, ThinkingBlockInit, UsageInit } from "./assistant-answer.js";

/**
 * What a family's stream says, event by event, in neither wire format:
 * tool calls are named by the upstream's content-block index.
 */
export type AnswerEvent =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  /** A reasoning block, complete: sent once its signature (or its redacted data) is known. */
  | { type: "thinking-block"; block: ThinkingBlockInit }
  | { type: "tool-call-start"; block: number; id: string; name: string }
  | { type: "tool-call-arguments"; block: number; fragment: string }
  | { type: "finish"; reason: FinishReason }
  /** A guardrail blocked the prompt or the answer: the answer ends as `content_filter`. */
  | { type: "intervened" }
  /** An answer field OpenAI's shape has no place for, sent on the finish chunk. */
  | { type: "answer-field"; name: string; value: JsonValue }
  | { type: "usage"; usage: UsageInit };

/** Reads one upstream event; stateful, one per stream. */
export interface StreamEventMapper<Event> {
  map(event: Event): AnswerEvent[];
}

/** How the answer's chunks are shaped beyond the events. */
export interface ChunkOptions {
  /** The forced tool of structured output: its arguments stream as the message's content. */
  outputTool?: string;
}

type DeltaInit = MessageInitShape<typeof DeltaSchema>;

interface ToolCallState {
  index: number;
  /** Whether any argument text was sent: a call without gets `{}`, as OpenAI always sends JSON. */
  argued: boolean;
}

/**
 * Turns answer events into OpenAI-shaped chunks: the role first, then text,
 * reasoning (its text as it comes, its signed or redacted blocks together
 * when the reasoning ends) and tool-call deltas (each call indexed from 0 in order of
 * appearance; its first delta carries id, type and name; fragments as they
 * arrive, empty ones skipped, `{}` for a call that had none), the finish
 * chunk (held to the end of the upstream stream, so that a guardrail's
 * verdict and answer fields that come last still reach it), and a
 * usage-only chunk when the upstream reported usage. A stream that ends
 * before its finish is a failure, not a short answer.
 */
export async function* toAnswerChunks<Event>(
  events: AsyncIterable<Event>,
  mapper: StreamEventMapper<Event>,
  model: string,
  options: ChunkOptions = {},
): AsyncGenerator<ChatCompletionChunk> {
  const id = newCompletionId();
  const created = unixSeconds();
  const chunk = (delta: DeltaInit, finishReason?: FinishReason, extensions?: JsonObject) =>
    create(ChatCompletionChunkSchema, {
      id,
      created,
      model,
      choices: [{ index: 0, delta, ...(finishReason ? { finishReason } : {}) }],
      ...(extensions ? { extensions } : {}),
    });
  const toolCalls = new Map<number, ToolCallState>();
  let outputBlock: number | undefined;
  let outputArgued = false;
  let started = false;
  let finish: FinishReason | undefined;
  let intervened = false;
  let fields: JsonObject | undefined;
  let usage: UsageInit | undefined;
  // Reasoning blocks go out together, once the reasoning is over: a client that keeps the
  // last `thinking_blocks` it saw (as the openai SDK's stream helper does) then has them all.
  let blocks: ThinkingBlockInit[] = [];
  const flushBlocks = () => {
    const delta = blocks.length > 0 ? chunk({ thinkingBlocks: blocks }) : undefined;
    blocks = [];
    return delta;
  };

  for await (const event of events) {
    for (const answer of mapper.map(event)) {
      if (!started) {
        started = true;
        yield chunk({ role: "assistant", content: "" });
      }
      if (answer.type === "text" || answer.type === "tool-call-start") {
        const reasoned = flushBlocks();
        if (reasoned) yield reasoned;
      }
      switch (answer.type) {
        case "text":
          if (answer.text !== "") yield chunk({ content: answer.text });
          break;
        case "reasoning":
          if (answer.text !== "") yield chunk({ reasoningContent: answer.text });
          break;
        case "thinking-block":
          blocks.push(answer.block);
          break;
        case "tool-call-start": {
          if (answer.name === options.outputTool && outputBlock === undefined) {
            outputBlock = answer.block;
            break;
          }
          const index = toolCalls.size;
          toolCalls.set(answer.block, { index, argued: false });
          yield chunk({
            toolCalls: [{ index, id: answer.id, type: "function", function: { name: answer.name, arguments: "" } }],
          });
          break;
        }
        case "tool-call-arguments": {
          if (answer.fragment === "") break;
          if (answer.block === outputBlock) {
            outputArgued = true;
            yield chunk({ content: answer.fragment });
            break;
          }
          const call = toolCalls.get(answer.block);
          if (call) {
            call.argued = true;
            yield chunk({ toolCalls: [{ index: call.index, function: { arguments: answer.fragment } }] });
          }
          break;
        }
        case "finish":
          finish ??= answer.reason;
          break;
        case "intervened":
          intervened = true;
          break;
        case "answer-field":
          fields = { ...fields, [answer.name]: answer.value };
          break;
        case "usage":
          usage = answer.usage;
          break;
      }
    }
  }
  if (finish === undefined) throw new UpstreamError("Bedrock ended the stream before the answer was complete.");
  const reasoned = flushBlocks();
  if (reasoned) yield reasoned;
  if (outputBlock !== undefined && !outputArgued) yield chunk({ content: "{}" });
  for (const call of toolCalls.values()) {
    if (!call.argued) yield chunk({ toolCalls: [{ index: call.index, function: { arguments: "{}" } }] });
  }
  const answeredInContent = outputBlock !== undefined && toolCalls.size === 0 && finish === "tool_calls";
  const reason: FinishReason = intervened ? "content_filter" : answeredInContent ? "stop" : finish;
  yield chunk({}, reason, fields);
  if (usage) yield create(ChatCompletionChunkSchema, { id, created, model, choices: [], usage });
}
