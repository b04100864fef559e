/**
 * The recorded wire examples in test/fixtures/wire/, read as the converters
 * see them: JSON bodies without their `_http` notes, event streams decoded
 * with the AWS codec, OpenAI request bodies as canonical requests.
 */
import { readFileSync } from "node:fs";
import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { parseChatRequest } from "../../../src/dialects/openai-chat/parse-chat-request.js";
import type { ConverseStreamEvent } from "../../../src/wire/bedrock-converse.js";
import { chunkEvent, decodeFrames, framePayload, headerValue } from "../../fakes/fake-bedrock-eventstream.js";

const ROOT = new URL("../../fixtures/wire/", import.meta.url);

export function fixtureText(path: string): string {
  return readFileSync(new URL(path, ROOT), "utf8");
}

/** A JSON example; `_http` and `_note` keys describe the exchange and are not part of the body. */
export function fixtureJson<T = Record<string, unknown>>(path: string): T {
  const { _http: _ignored, _note: _alsoIgnored, ...body } = JSON.parse(fixtureText(path)) as Record<string, unknown>;
  return body as T;
}

/** The binary body of a recorded event stream. */
export function fixtureEventStream(path: string): Uint8Array {
  return new Uint8Array(Buffer.from(fixtureText(path).replace(/\s+/g, ""), "base64"));
}

/** The model events of an InvokeModelWithResponseStream body (the JSON inside each chunk). */
export function invokeStreamEvents(path: string): unknown[] {
  return decodeFrames(fixtureEventStream(path))
    .filter((frame) => headerValue(frame, ":message-type") === "event")
    .map(chunkEvent);
}

/** The events of a ConverseStream body, keyed by `:event-type`, padding removed. */
export function converseStreamEvents(path: string): ConverseStreamEvent[] {
  return decodeFrames(fixtureEventStream(path)).map(
    (frame) => ({ [headerValue(frame, ":event-type") ?? ""]: framePayload(frame) }) as unknown as ConverseStreamEvent,
  );
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
