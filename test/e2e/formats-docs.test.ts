/**
 * Runs every curl example of docs/formats.md against the real server (in
 * front of the fake upstreams) and checks that the answer has the shape the
 * example promises; where the document shows the answer (as `HTTP/1.1` text,
 * as a JSON body, or as the SSE events of a stream), the real answer must be
 * that one, only ids, timestamps, token counts and latencies aside.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readSse, useBothUpstreams } from "./formats-gateway.js";

const run = promisify(execFile);
const setup = useBothUpstreams();

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

interface Example {
  command: string;
  /** The documented answer, when the document shows one as `HTTP/1.1 <status>` text. */
  documented?: { status: number; headers: string[]; body: string };
  /** The documented 200 answer's body, when the document shows it as JSON. */
  json?: string;
  /** The documented stream, when the document shows its SSE events. */
  sse?: string;
}

function examples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((match) => ({
    lang: match[1],
    text: match[2] ?? "",
  }));
  return blocks.flatMap((block, index): Example[] => {
    if (block.lang !== "sh" || !block.text.startsWith("curl ")) return [];
    const command = block.text.trim();
    const next = blocks[index + 1];
    if (next?.lang === "json") return [{ command, json: next.text }];
    if (next?.lang === "text" && /^(event|data): /.test(next.text)) return [{ command, sse: `${next.text}\n` }];
    const answer = next?.lang === "text" && /^HTTP\/1\.1 (\d+)/.exec(next.text);
    if (!answer || !next) return [{ command }];
    const [head = "", body = ""] = next.text.split("\n\n");
    return [
      { command, documented: { status: Number(answer[1]), headers: head.split("\n").slice(1), body: body.trim() } },
    ];
  });
}

/** Fields whose values differ from run to run, or with the upstream's tokenizer: any value of theirs reads the same. */
const VOLATILE = new Set([
  "id",
  "created",
  "system_fingerprint",
  "input_tokens",
  "output_tokens",
  "cache_read_input_tokens",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cached_tokens",
  "inputTextTokenCount",
  "tokenCount",
  "totalOutputTextTokenCount",
  "inputTokenCount",
  "outputTokenCount",
  "cacheReadInputTokenCount",
  "invocationLatency",
  "firstByteLatency",
]);

/** A JSON value with its volatile fields' values replaced by their type (a `null` count stays `null`). */
function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      VOLATILE.has(key) && field !== null && typeof field !== "object" ? `<${typeof field}>` : masked(field),
    ]),
  );
}

/** A stream's events, each with its data read as JSON (but `[DONE]`) and masked. */
const maskedEvents = (text: string) =>
  readSse(text).map(({ event, data }) => ({ event, data: data === "[DONE]" ? data : masked(JSON.parse(data)) }));

describe.each([["docs/formats.md", read("docs/formats.md")]])("%s", (_document, doc) => {
  const found = examples(doc);

  it("has a curl example per input format and per target format", () => {
    const commands = found.map((example) => example.command);
    expect(commands.some((command) => command.includes('"anthropic_version"'))).toBe(true);
    expect(commands.some((command) => command.includes('"inputText"'))).toBe(true);
    expect(commands.some((command) => command.includes('"messages"') && !command.includes("anthropic_version"))).toBe(
      true,
    );
    for (const target of ["bedrock_claude", "bedrock_titan"]) {
      expect(commands.some((command) => command.includes(`target_format=${target}`))).toBe(true);
    }
    expect(commands.some((command) => !command.includes("target_format="))).toBe(true);
  });

  it.each(found.map((example, index) => [`${index + 1}: ${example.command.split("\n")[0]}`, example] as const))(
    "example %s",
    async (_first, example) => {
      // The documents' one server address, and their key as the terminal has it exported.
      const command = example.command.replaceAll("http://127.0.0.1:8000", setup.gateway.url);
      // The headers (and a stream's trailers, which curl prints after the body) go to a file of their own.
      const dir = mkdtempSync(join(tmpdir(), "open-bedrock-formats-"));
      const headerFile = join(dir, "headers");
      const { stdout } = await run("sh", ["-c", `${command} -sS -D '${headerFile}' -w '\\n%{http_code}'`], {
        timeout: 15_000,
        env: { PATH: process.env.PATH, API_KEY: setup.gateway.key },
      });
      const headers = readFileSync(headerFile, "utf8").split("\r\n\r\n")[0]?.toLowerCase() ?? "";
      rmSync(dir, { recursive: true, force: true });
      const status = Number(stdout.slice(stdout.lastIndexOf("\n") + 1));
      const body = stdout.slice(0, stdout.lastIndexOf("\n"));
      if (example.documented) {
        expect(status).toBe(example.documented.status);
        for (const header of example.documented.headers) expect(headers).toContain(header.toLowerCase());
        expect(JSON.parse(body)).toEqual(JSON.parse(example.documented.body));
        return;
      }
      expect(status, body).toBe(200);
      if (example.json !== undefined) expect(masked(JSON.parse(body))).toEqual(masked(JSON.parse(example.json)));
      if (example.sse !== undefined) expect(maskedEvents(body)).toEqual(maskedEvents(example.sse));
      const url = new URL(/'(http[^']+)'/.exec(command)?.[1] ?? "");
      const target = url.searchParams.get("target_format") ?? "openai";
      const stream = url.searchParams.get("stream") === "true" || /"stream": true/.test(command);
      if (!stream) {
        const answer = JSON.parse(body) as Record<string, unknown>;
        if (target === "openai") expect(answer.object).toBe("chat.completion");
        if (target === "bedrock_claude") expect(answer).toMatchObject({ type: "message", role: "assistant" });
        if (target === "bedrock_titan") expect(answer.results).toHaveLength(1);
        return;
      }
      const events = readSse(body);
      if (target === "openai") expect(events.at(-1)?.data).toBe("[DONE]");
      if (target === "bedrock_claude") {
        expect(events.map((event) => event.event)).toEqual(events.map((event) => JSON.parse(event.data).type));
        expect([events[0]?.event, events.at(-1)?.event]).toEqual(["message_start", "message_stop"]);
      }
      if (target === "bedrock_titan") {
        const chunks = events.map((event) => JSON.parse(event.data) as { outputText: string; completionReason: null });
        expect(chunks.every((chunk) => typeof chunk.outputText === "string")).toBe(true);
        expect(chunks.at(-1)?.completionReason).toBe("FINISH");
      }
    },
  );
});
