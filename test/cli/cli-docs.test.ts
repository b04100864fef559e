/**
 * Replays the transcripts of docs/cli.md, in the order they appear, as a
 * person at a terminal would: each `$ ` line runs in a shell on a real
 * pseudo-terminal, in one home directory that starts empty, with
 * `OPENAI_BASE_URL` pointing at the fake OpenAI and the shell variable
 * `OPENAI_API_KEY` holding its key. What a transcript shows as typed at a
 * prompt (`> ` of `chat`, `NAME (...): ` of `config set`) is typed; `^C`
 * is Ctrl-C; an answer shown cut short by `[cancelled]` is held open by the
 * fake after its shown words, and Ctrl-C cancels it. The terminal must then
 * show exactly the transcript's lines, only timestamps, ports, the home
 * directory and generated keys aside. Commands that talk to a server and
 * name none are pointed at an `open-bedrock serve` started in that home, its
 * address shown as `http://127.0.0.1:8080`, where `PORT` in the home's
 * config file puts it by then; the one address where nothing listens
 * (`http://127.0.0.1:8999`) becomes one the test knows
 * is closed.
 *
 * The README's transcripts must each be one of docs/cli.md's.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_OPENAI_KEY, FakeOpenAI } from "../fakes/fake-openai.js";
import { KEYS, PtySession } from "../helpers/pty-session.js";
import { BUILD_TIMEOUT_MS, cliCommand, waitForOutput } from "../helpers/run-cli.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** The address docs/cli.md shows for the running server, and the one where nothing listens. */
const SHOWN_SERVER = "http://127.0.0.1:8080";
const SHOWN_CLOSED = "http://127.0.0.1:8999";
const SHOWN_HOME = "/tmp/cli-demo/home";

interface Step {
  command: string;
  /** What the terminal shows after the command line. */
  lines: string[];
}

/** The code blocks that are transcripts: no language, the first line a `$ ` command. */
function transcripts(markdown: string): string[] {
  return [...markdown.matchAll(/^```\n(\$ [\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");
}

function steps(transcript: string): Step[] {
  const found: Step[] = [];
  for (const line of transcript.replace(/\n$/, "").split("\n")) {
    if (line.startsWith("$ ")) found.push({ command: line.slice(2), lines: [] });
    else found.at(-1)?.lines.push(line);
  }
  return found;
}

let fake: FakeOpenAI;
let work: string;
let home: string;
let env: NodeJS.ProcessEnv;
let server: { child: ChildProcess; url: string } | undefined;
let closedUrl: string;

/** What varies from run to run reads the same: timestamps, generated keys, local ports. */
function masked(text: string): string {
  return text
    .replace(/"time":\d+/g, '"time":0')
    .replace(/\bob-[A-Za-z0-9_-]{32}\b/g, "ob-<generated>")
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>");
}

/** The terminal's lines as the document would show them: its own addresses and home, without trailing blanks. */
function shown(screen: string): string[] {
  let text = screen.replaceAll(home, SHOWN_HOME).replaceAll(closedUrl, SHOWN_CLOSED);
  if (server) text = text.replaceAll(server.url, SHOWN_SERVER);
  return normalized(text.split("\n"));
}

function normalized(lines: string[]): string[] {
  const out = lines.map((line) => masked(line).trimEnd());
  while (out.at(-1) === "") out.pop();
  return out;
}

async function runningServer(): Promise<string> {
  if (!server) {
    const child = spawn("open-bedrock", ["serve", "--port", "0"], {
      cwd: home,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const [, url] = await waitForOutput(child.stderr as NodeJS.ReadableStream, /listening on (http:\/\/\S+) /);
    server = { child, url: url as string };
  }
  return server.url;
}

/** The command as run here: a server address where it names none, a free port for `--port`, the closed address. */
async function runnable(command: string): Promise<string> {
  let run = command.replace(/--port 8\d{3}\b/, "--port 0").replaceAll(SHOWN_CLOSED, closedUrl);
  const talks = /open-bedrock (chat|models)\b/.exec(run);
  if (talks && !run.includes("--server-url")) {
    run = run.replace(talks[0], `${talks[0]} --server-url ${await runningServer()}`);
  }
  // A shell variable, not exported: `echo "$OPENAI_API_KEY"` sees it, the commands do not.
  return `OPENAI_API_KEY='${FAKE_OPENAI_KEY}'; ${run}`;
}

const CHAT_PROMPT = /^(> ?)(.*)$/;
const SETTING_PROMPT = /^([A-Z_]+ \(.*\)(?: \[[^\]]*\])?: )(.*)$/;

/** The prompt a line starts with, for commands that ask on the terminal; what follows it was typed. */
function promptOf(command: string, line: string): { prompt: string; typed: string } | undefined {
  const piped = /\|\s*open-bedrock/.test(command);
  const pattern = piped
    ? undefined
    : /open-bedrock chat\b/.test(command)
      ? CHAT_PROMPT
      : /open-bedrock config set\b/.test(command)
        ? SETTING_PROMPT
        : undefined;
  const match = pattern?.exec(line);
  return match ? { prompt: match[1] ?? "", typed: match[2] ?? "" } : undefined;
}

const isLogLine = (line: string) => line.includes('{"level":');

/**
 * The same lines, but for how the terminal interleaved the server's log
 * (stdout, written asynchronously) with the messages for a person (stderr):
 * each stream's lines in the same order.
 */
function sameOutput(have: string[], want: string[]): boolean {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((line, at) => line === b[at]);
  return (
    have.length === want.length &&
    same(have.filter(isLogLine), want.filter(isLogLine)) &&
    same(
      have.filter((line) => !isLogLine(line)),
      want.filter((line) => !isLogLine(line)),
    )
  );
}

/** Waits until the terminal shows these lines (the last one as far as it goes). */
function showing(terminal: PtySession, lines: string[]): Promise<void> {
  const want = normalized(lines);
  return terminal.until((screen) => sameOutput(shown(screen), want));
}

async function replay(step: Step): Promise<void> {
  const terminal = new PtySession(["sh", "-c", await runnable(step.command)], { cwd: home, env, columns: 80 });
  try {
    const { lines } = step;
    for (const [at, line] of lines.entries()) {
      if (line.startsWith("^C")) {
        await showing(terminal, lines.slice(0, at));
        terminal.type(KEYS.ctrlC);
        continue;
      }
      const asked = promptOf(step.command, line);
      if (!asked) continue;
      await showing(terminal, [...lines.slice(0, at), asked.prompt]);
      if (asked.typed === "" && at === lines.length - 1) {
        terminal.type(KEYS.ctrlD);
        continue;
      }
      const answer = lines.slice(at + 1);
      const next = answer.findIndex((later) => promptOf(step.command, later));
      const cancelled = answer.slice(0, next === -1 ? undefined : next).indexOf("[cancelled]");
      if (cancelled > 0) {
        // The fake sends the role chunk and the words shown, then holds the answer open.
        const words = answer.slice(0, cancelled).join(" ").split(/\s+/).filter(Boolean).length;
        fake.enqueue({ kind: "reply", holdAfterChunks: 1 + words });
      }
      terminal.type(`${asked.typed}${KEYS.enter}`);
      if (cancelled > 0) {
        await showing(terminal, lines.slice(0, at + 1 + cancelled));
        terminal.type(KEYS.ctrlC);
        const request = fake.chatRequests.at(-1);
        await request?.whenAborted;
        expect(request?.aborted).toBe(true);
      }
    }
    await terminal.exitCode();
    const have = shown(terminal.screen);
    if (!sameOutput(have, normalized(lines))) expect(have).toEqual(normalized(lines));
  } finally {
    terminal.kill();
  }
}

beforeAll(async () => {
  const [node, script] = (await cliCommand()) as [string, string];
  fake = new FakeOpenAI();
  await fake.start();
  work = mkdtempSync(join(tmpdir(), "open-bedrock-cli-docs-"));
  home = join(work, "home");
  const bin = join(work, "bin");
  mkdirSync(home);
  mkdirSync(bin);
  // `open-bedrock` on the PATH, as installing the package puts it there.
  writeFileSync(join(bin, "open-bedrock"), `#!/bin/sh\nexec '${node}' '${script}' "$@"\n`);
  chmodSync(join(bin, "open-bedrock"), 0o755);
  env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    TERM: "xterm-256color",
    OPENAI_BASE_URL: fake.baseURL,
  };
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  closedUrl = `http://127.0.0.1:${port}`;
  await new Promise((resolve) => probe.close(resolve));
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  if (server) {
    const exited = once(server.child, "exit");
    server.child.kill("SIGINT");
    await exited;
  }
  await fake?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const doc = read("docs/cli.md");

describe("docs/cli.md", () => {
  // One shared home: the transcripts go on from each other, as they were made.
  it.each(
    transcripts(doc)
      .flatMap((transcript) => steps(transcript))
      .map((step) => [step.command, step] as const),
  )(
    "$ %s",
    async (_command, step) => {
      await replay(step);
    },
    60_000,
  );
});

describe("the README", () => {
  const section = /## Command line\n[\s\S]*?(?=\n## )/.exec(read("README.md"))?.[0] ?? "";

  it("shows only transcripts that docs/cli.md shows, which are replayed", () => {
    const shownHere = transcripts(section);
    expect(shownHere.length).toBeGreaterThan(0);
    for (const transcript of shownHere) expect(transcripts(doc)).toContain(transcript);
  });
});
