/**
 * What the converter tests share: the recorded wire examples, read by the
 * one reader (test/helpers/wire-fixtures.ts) under the names these tests
 * use, OpenAI request bodies read as canonical requests, and small stream
 * helpers.
 */
import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { parseChatRequest } from "../../../src/dialects/openai-chat/parse-chat-request.js";
import type { ConverseStreamEvent } from "../../../src/wire/bedrock-converse.js";
import { converseStreamEvents as readConverseStreamEvents } from "../../helpers/wire-fixtures.js";

export {
  invokeStreamEvents,
  wireBody as fixtureJson,
  wireEventStream as fixtureEventStream,
  wireText as fixtureText,
} from "../../helpers/wire-fixtures.js";

/** The events of a recorded ConverseStream body, typed as the converters read them. */
export function converseStreamEvents(path: string): ConverseStreamEvent[] {
  return readConverseStreamEvents<ConverseStreamEvent>(path);
}

/** An OpenAI Chat Completions body, read by the server's own parser into the canonical request. */
export function canonicalRequest(body: unknown): ChatCompletionRequest {
  return parseChatRequest(body).request;
}

export async function* asStream<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
