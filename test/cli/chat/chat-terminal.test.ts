import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useOpenAIGateway } from "../../helpers/gateway.js";
import { KEYS, PtySession } from "../../helpers/pty-session.js";
import { BUILD_TIMEOUT_MS, cliCommand, createSandbox } from "../../helpers/run-cli.js";

/** The built `open-bedrock` command (built once, see built-cli.ts). */
let cli: string[];

beforeAll(async () => {
  cli = await cliCommand();
}, BUILD_TIMEOUT_MS);

let session: PtySession | undefined;

const setup = useOpenAIGateway();
const sandbox = createSandbox();
afterAll(() => sandbox.remove());

afterEach(() => {
  session?.kill();
  session = undefined;
});

const PROMPT = /> $/m;
/** A long answer that streams one word every 100 ms, so there is time to press Ctrl-C in the middle. */
const SLOW_ANSWER = {
  kind: "reply" as const,
  text: Array.from({ length: 300 }, (_, index) => `word${index}`).join(" "),
  chunkDelayMs: 100,
};

function chat(args: string[] = [], env: NodeJS.ProcessEnv = {}): PtySession {
  session = new PtySession([...cli, "chat", "--server-url", setup.gateway.url, ...args], {
    cwd: sandbox.dir,
    env: { ...sandbox.env, API_KEY: setup.gateway.key, TERM: "xterm-256color", ...env },
  });
  return session;
}

/** Types a line at the prompt and waits for the answer's usage line. */
async function ask(terminal: PtySession, text: string): Promise<void> {
  await terminal.expect(PROMPT);
  terminal.type(`${text}${KEYS.enter}`);
  await terminal.expect(/\[\d+ prompt \+ \d+ completion = \d+ tokens\]/);
}

describe.each(["http", "grpc"] as const)("chat on a terminal over %s", (protocol) => {
  it("streams answers, keeps the history, and leaves on Ctrl-D", async () => {
    const terminal = chat(["--protocol", protocol, "--model", "gpt-4o-mini"]);
    await terminal.expect(`(${protocol})`);
    await ask(terminal, "first question");
    expect(terminal.text).toContain("You said: first question");
    await ask(terminal, "second question");
    expect(terminal.text).toContain("You said: second question");
    expect(setup.upstream.lastChatBody().messages).toEqual([
      { role: "user", content: "first question" },
      { role: "assistant", content: "You said: first question" },
      { role: "user", content: "second question" },
    ]);
    expect(setup.upstream.lastChatBody().stream_options).toEqual({ include_usage: true });
    await terminal.expect(PROMPT);
    terminal.type(KEYS.ctrlD);
    expect(await terminal.exitCode()).toBe(0);
  });

  it("cancels an answer on Ctrl-C, the server cancels upstream, and the session goes on", async () => {
    setup.upstream.enqueue(SLOW_ANSWER);
    const terminal = chat(["--protocol", protocol]);
    await terminal.expect(PROMPT);
    terminal.type(`tell me everything${KEYS.enter}`);
    await terminal.expect("word2 ");
    terminal.type(KEYS.ctrlC);
    await terminal.expect("[cancelled]");
    const cancelled = setup.upstream.chatRequests[0];
    await cancelled?.whenAborted;
    expect(cancelled?.aborted).toBe(true);

    await ask(terminal, "and now briefly");
    expect(terminal.text).toContain("You said: and now briefly");
    // The cancelled exchange is not part of the history.
    expect(setup.upstream.lastChatBody().messages).toEqual([{ role: "user", content: "and now briefly" }]);
    await terminal.expect(PROMPT);
    terminal.type(`/exit${KEYS.enter}`);
    expect(await terminal.exitCode()).toBe(0);
  });

  it("shows a server error as one line and keeps the session", async () => {
    setup.upstream.enqueue({
      kind: "error",
      status: 429,
      body: {
        error: {
          message: "Rate limit reached for gpt-4o-mini.",
          type: "requests",
          param: null,
          code: "rate_limit_exceeded",
        },
      },
    });
    const terminal = chat(["--protocol", protocol, "--model", "gpt-4o-mini"]);
    await terminal.expect(PROMPT);
    terminal.type(`hello${KEYS.enter}`);
    const [line] = await terminal.expect(/error: [^\n]*\n/);
    const status = protocol === "http" ? "HTTP 429" : "gRPC RESOURCE_EXHAUSTED";
    expect(line).toBe(`error: Rate limit reached for gpt-4o-mini. (${status})\n`);
    await ask(terminal, "hello again");
    expect(terminal.text).toContain("You said: hello again");
    expect(setup.upstream.lastChatBody().messages).toEqual([{ role: "user", content: "hello again" }]);
    await terminal.expect(PROMPT);
    terminal.type(KEYS.ctrlD);
    expect(await terminal.exitCode()).toBe(0);
  });
});

describe("chat on a terminal", () => {
  it("changes the model and the system message with slash commands, and clears the history", async () => {
    const terminal = chat(["--system", "Be brief."]);
    await ask(terminal, "hello");
    // No --model: the server answers with its default model.
    expect(setup.upstream.lastChatBody().model).toBe("gpt-4o-mini");
    expect(setup.upstream.lastChatBody().messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hello" },
    ]);
    await terminal.expect(PROMPT);
    terminal.type(`/model gpt-4o${KEYS.enter}`);
    await terminal.expect("model: gpt-4o");
    await terminal.expect(PROMPT);
    terminal.type(`/system Answer in French.${KEYS.enter}`);
    await terminal.expect("system: Answer in French.");
    await ask(terminal, "again");
    expect(setup.upstream.lastChatBody().model).toBe("gpt-4o");
    expect(setup.upstream.lastChatBody().messages).toEqual([
      { role: "system", content: "Answer in French." },
      { role: "user", content: "hello" },
      { role: "assistant", content: "You said: hello" },
      { role: "user", content: "again" },
    ]);
    await terminal.expect(PROMPT);
    terminal.type(`/clear${KEYS.enter}`);
    await terminal.expect("The conversation is cleared.");
    await ask(terminal, "fresh start");
    expect(setup.upstream.lastChatBody().messages).toEqual([
      { role: "system", content: "Answer in French." },
      { role: "user", content: "fresh start" },
    ]);
    await terminal.expect(PROMPT);
    terminal.type(`/help${KEYS.enter}`);
    await terminal.expect("/system TEXT");
    await terminal.expect(PROMPT);
    terminal.type(`/nonsense${KEYS.enter}`);
    await terminal.expect("Unknown command /nonsense");
    await terminal.expect(PROMPT);
    terminal.type(KEYS.ctrlC);
    expect(await terminal.exitCode()).toBe(0);
  });

  it("drops a typed line on Ctrl-C and leaves on Ctrl-C at the empty prompt", async () => {
    const terminal = chat();
    await terminal.expect(PROMPT);
    terminal.type("never mind");
    await terminal.expect("never mind");
    terminal.type(KEYS.ctrlC);
    await terminal.expect("^C");
    await terminal.expect(PROMPT);
    terminal.type(KEYS.ctrlC);
    expect(await terminal.exitCode()).toBe(0);
    expect(setup.upstream.chatRequests).toHaveLength(0);
  });

  it("uses colors on a terminal, and none with NO_COLOR", async () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a color is an escape sequence
    const sgr = /\u001b\[[0-9;]*m/;
    const colored = chat();
    await colored.expect(PROMPT);
    expect(colored.raw).toMatch(sgr);
    colored.type(KEYS.ctrlD);
    expect(await colored.exitCode()).toBe(0);

    const plain = chat([], { NO_COLOR: "1" });
    await ask(plain, "hello");
    await plain.expect(PROMPT);
    plain.type(KEYS.ctrlD);
    expect(await plain.exitCode()).toBe(0);
    expect(plain.raw).not.toMatch(sgr);
  });
});
