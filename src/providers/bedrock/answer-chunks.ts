import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type DeltaSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { newCompletionId, unixSeconds } from "../../core/completion-id.js";
import { UpstreamError } from "../../core/errors.js";
import type { FinishReason, UsageInit } from "./assistant-answer.js";

/**
 * What a family's stream says, event by event, in neither wire format:
 * tool calls are named by the upstream's content-block index.
 */
export type AnswerEvent =
  | { type: "text"; text: string }
  | { type: "tool-call-start"; block: number; id: string; name: string }
  | { type: "tool-call-arguments"; block: number; fragment: string }
  | { type: "finish"; reason: FinishReason }
  | { type: "usage"; usage: UsageInit };

/** Reads one upstream event; stateful, one per stream. */
export interface StreamEventMapper<Event> {
  map(event: Event): AnswerEvent[];
}

type DeltaInit = MessageInitShape<typeof DeltaSchema>;

/**
 * Turns answer events into OpenAI-shaped chunks: the role first, then text
 * and tool-call deltas (each call indexed from 0 in order of appearance; its
 * first delta carries id, type and name; empty fragments skipped), the
 * finish chunk, and a usage-only chunk when the upstream reported usage.
 * A stream that ends before its finish is a failure, not a short answer.
 */
export async function* toAnswerChunks<Event>(
  events: AsyncIterable<Event>,
  mapper: StreamEventMapper<Event>,
  model: string,
): AsyncGenerator<ChatCompletionChunk> {
  const id = newCompletionId();
  const created = unixSeconds();
  const chunk = (delta: DeltaInit, finishReason?: FinishReason) =>
    create(ChatCompletionChunkSchema, {
      id,
      created,
      model,
      choices: [{ index: 0, delta, ...(finishReason ? { finishReason } : {}) }],
    });
  const toolIndex = new Map<number, number>();
  let started = false;
  let finished = false;
  let usage: UsageInit | undefined;

  for await (const event of events) {
    for (const answer of mapper.map(event)) {
      if (!started) {
        started = true;
        yield chunk({ role: "assistant", content: "" });
      }
      switch (answer.type) {
        case "text":
          if (answer.text !== "") yield chunk({ content: answer.text });
          break;
        case "tool-call-start": {
          const index = toolIndex.size;
          toolIndex.set(answer.block, index);
          yield chunk({
            toolCalls: [{ index, id: answer.id, type: "function", function: { name: answer.name, arguments: "" } }],
          });
          break;
        }
        case "tool-call-arguments": {
          const index = toolIndex.get(answer.block);
          if (index !== undefined && answer.fragment !== "") {
            yield chunk({ toolCalls: [{ index, function: { arguments: answer.fragment } }] });
          }
          break;
        }
        case "finish":
          if (!finished) yield chunk({}, answer.reason);
          finished = true;
          break;
        case "usage":
          usage = answer.usage;
          break;
      }
    }
  }
  if (!finished) throw new UpstreamError("Bedrock ended the stream before the answer was complete.");
  if (usage) yield create(ChatCompletionChunkSchema, { id, created, model, choices: [], usage });
}
