/**
 * Runs every curl example of docs/formats.md against the real server (in
 * front of the fake upstreams) and checks that the answer has the shape the
 * example promises, and, where the document shows an error answer, exactly
 * that status, header and body.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readSse, useBothUpstreams } from "./formats-gateway.js";

const run = promisify(execFile);
const setup = useBothUpstreams();

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
// The README's own section on formats, up to the next section.
const readmeSection = /## Request and answer formats\n[\s\S]*?(?=\n## )/.exec(read("README.md"))?.[0] ?? "";

interface Example {
  command: string;
  /** The documented answer, when the document shows one as `HTTP/1.1 <status>` text. */
  documented?: { status: number; headers: string[]; body: string };
}

function examples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((match) => ({
    lang: match[1],
    text: match[2] ?? "",
  }));
  return blocks.flatMap((block, index) => {
    if (block.lang !== "sh" || !block.text.startsWith("curl ")) return [];
    const next = blocks[index + 1];
    const answer = next?.lang === "text" && /^HTTP\/1\.1 (\d+)/.exec(next.text);
    if (!answer || !next) return [{ command: block.text.trim() }];
    const [head = "", body = ""] = next.text.split("\n\n");
    return [
      {
        command: block.text.trim(),
        documented: { status: Number(answer[1]), headers: head.split("\n").slice(1), body: body.trim() },
      },
    ];
  });
}

describe.each([
  ["docs/formats.md", read("docs/formats.md")],
  ["the README", readmeSection],
])("%s", (_document, doc) => {
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
      const command = example.command
        .replaceAll("http://localhost:8000", setup.gateway.url)
        .replaceAll("Bearer my-key", `Bearer ${setup.gateway.key}`);
      const { stdout } = await run("sh", ["-c", `${command} -sS -D - -w '\\n%{http_code}'`], { timeout: 15_000 });
      const status = Number(stdout.slice(stdout.lastIndexOf("\n") + 1));
      const response = stdout.slice(0, stdout.lastIndexOf("\n"));
      const split = response.indexOf("\r\n\r\n");
      const headers = response.slice(0, split).toLowerCase();
      const body = response.slice(split + 4);
      if (example.documented) {
        expect(status).toBe(example.documented.status);
        for (const header of example.documented.headers) expect(headers).toContain(header.toLowerCase());
        expect(JSON.parse(body)).toEqual(JSON.parse(example.documented.body));
        return;
      }
      expect(status, body).toBe(200);
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
