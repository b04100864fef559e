/**
 * Reads the recorded wire examples in test/fixtures/wire/ (the in-repo copy,
 * so CI needs nothing outside the repository).
 */
import { readFileSync } from "node:fs";

const WIRE = new URL("../fixtures/wire/", import.meta.url);

export function wireText(path: string): string {
  return readFileSync(new URL(path, WIRE), "utf8");
}

export function wireJson<T = unknown>(path: string): T {
  return JSON.parse(wireText(path)) as T;
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
