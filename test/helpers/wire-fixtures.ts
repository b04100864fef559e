/**
 * The one reader of the recorded wire examples in test/fixtures/wire/ (the
 * in-repo copy, so CI needs nothing outside the repository): as text, as
 * JSON, as the body of an exchange (without the `_http` and `_note` keys
 * that describe it), as binary event streams and their decoded events, and
 * as the `data:` payloads of SSE streams. Paths are relative to that folder
 * (`openai/chat_response_text.json`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { chunkEvent, decodeFrames, framePayload, headerValue } from "../fakes/fake-bedrock-eventstream.js";

const WIRE = new URL("../fixtures/wire/", import.meta.url);

export function wireText(path: string): string {
  return readFileSync(new URL(path, WIRE), "utf8");
}

/** A JSON example exactly as stored, notes included. */
export function wireJson<T = unknown>(path: string): T {
  return JSON.parse(wireText(path)) as T;
}

/** A JSON example as it went over the wire: `_http` and `_note` describe the exchange and are not part of the body. */
export function wireBody<T = Record<string, unknown>>(path: string): T {
  const { _http, _note, ...body } = wireJson<Record<string, unknown>>(path);
  return body as T;
}

/** The examples in one folder whose names end with `suffix` (`.sse`), sorted. */
export function wireFiles(folder: string, suffix = ""): string[] {
  return readdirSync(new URL(folder.endsWith("/") ? folder : `${folder}/`, WIRE))
    .filter((name) => name.endsWith(suffix))
    .sort();
}

/** The binary body of a recorded event stream (stored as base64). */
export function wireEventStream(path: string): Uint8Array {
  return new Uint8Array(Buffer.from(wireText(path).replace(/\s+/g, ""), "base64"));
}

/** The model events of a recorded InvokeModelWithResponseStream body (the JSON inside each chunk). */
export function invokeStreamEvents(path: string): unknown[] {
  return decodeFrames(wireEventStream(path))
    .filter((frame) => headerValue(frame, ":message-type") === "event")
    .map(chunkEvent);
}

/** The events of a recorded ConverseStream body, keyed by `:event-type`, padding removed. */
export function converseStreamEvents<T = Record<string, unknown>>(path: string): T[] {
  return decodeFrames(wireEventStream(path)).map(
    (frame) => ({ [headerValue(frame, ":event-type") ?? ""]: framePayload(frame) }) as T,
  );
}

/**
 * The `data:` payloads of an SSE stream, line by line, as OpenAI's SDK reads
 * them: every event ends with a blank line and chat completions use only
 * `data:` lines.
 */
export function sseData(text: string): string[] {
  const events = text.split("\n\n").filter((event) => event.trim() !== "");
  return events.map((event) => {
    const lines = event.split("\n");
    const data = lines.filter((line) => line.startsWith("data: ")).map((line) => line.slice("data: ".length));
    if (data.length !== lines.length) throw new Error(`Unexpected SSE lines: ${event}`);
    return data.join("\n");
  });
}

/** The JSON chunks of a recorded OpenAI stream, without the final `[DONE]`. */
export function sseJson(path: string): Record<string, unknown>[] {
  const data = sseData(wireText(path));
  const done = data.indexOf("[DONE]");
  return (done === -1 ? data : data.slice(0, done)).map((line) => JSON.parse(line) as Record<string, unknown>);
}
