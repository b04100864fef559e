/**
 * `npm run fake-upstreams` as a person runs it: the real script in its own
 * process, the real server started with exactly the settings it printed
 * (and nothing else from this machine), real OpenAI SDK calls through the
 * server to both fakes, and Ctrl-C to stop.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const CLIENT_KEY = "ob-fake-upstreams-test-key";

const started: ChildProcess[] = [];

afterEach(() => {
  // Each runs as the leader of its own process group, as a terminal would start it.
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
  }
});

interface Running {
  child: ChildProcess;
  stdout(): string;
  /** Resolves once every process that could write to its stdout (children included) has ended. */
  outputClosed: Promise<void>;
  /** Resolves with the output so far once `pattern` appears in it; rejects if the process ends first. */
  printed(pattern: RegExp): Promise<string>;
}

function start(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Running {
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ended = once(child, "exit");
  const outputClosed = new Promise<void>((resolve) => child.stdout?.once("close", () => resolve()));
  return {
    child,
    stdout: () => stdout,
    outputClosed,
    printed: (pattern) =>
      Promise.race([
        new Promise<string>((resolve) => {
          const check = () => {
            if (pattern.test(stdout)) resolve(stdout);
          };
          listeners.add(check);
          check();
        }),
        ended.then(() => {
          throw new Error(`${command} ended before printing ${pattern}:\n${stdout}\n${stderr}`);
        }),
      ]),
  };
}

function refused(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

describe("npm run fake-upstreams", () => {
  it("prints the settings that let the server answer with both fakes, and stops on Ctrl-C", async () => {
    // Any free ports, so runs beside each other (or a person's own fakes) never collide.
    const ports = ["--openai-port", "0", "--bedrock-port", "0", "--bedrock-control-port", "0"];
    const fakes = start("npm", ["run", "--silent", "fake-upstreams", "--", ...ports], {
      cwd: ROOT,
      env: { ...process.env, npm_config_update_notifier: "false" },
    });
    const printed = await fakes.printed(/Ctrl-C stops them\./);
    const settings = Object.fromEntries(
      [...printed.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map(([, name, value]) => [name, value]),
    );
    expect(Object.keys(settings)).toEqual([
      "OPENAI_BASE_URL",
      "OPENAI_API_KEY",
      "BEDROCK_ENDPOINT_URL",
      "AWS_ENDPOINT_URL_BEDROCK",
      "AWS_REGION",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
    ]);

    const home = mkdtempSync(join(tmpdir(), "open-bedrock-fake-upstreams-"));
    const server = start(process.execPath, ["--import", TSX, join(ROOT, "src/main.ts")], {
      cwd: home,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        XDG_CONFIG_HOME: join(home, "config"),
        PORT: "0",
        API_KEY: CLIENT_KEY,
        ...settings,
      },
    });
    const url = /listening on (http\S+)"/.exec(await server.printed(/listening on (http\S+)"/))?.[1];
    const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${url}/v1`, maxRetries: 0 });

    const models = (await client.models.list()).data.map((model) => model.id);
    expect(models).toEqual(expect.arrayContaining(["gpt-4o-mini", "anthropic.claude-3-haiku-20240307-v1:0"]));
    const fromOpenAI = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hello from the OpenAI side" }],
    });
    expect(fromOpenAI.choices[0]?.message.content).toBe("You said: hello from the OpenAI side");
    const fromClaude = await client.chat.completions.create({
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      messages: [{ role: "user", content: "hello from the Bedrock side" }],
    });
    expect(fromClaude.choices[0]?.message.content).toBe("You said: hello from the Bedrock side");
    const stream = await client.chat.completions.create({
      model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
      stream: true,
      messages: [{ role: "user", content: "stream this please" }],
    });
    const pieces: string[] = [];
    for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? "");
    expect(pieces.join("")).toBe("You said: stream this please");
    expect(pieces.filter(Boolean).length).toBeGreaterThan(1);

    server.child.kill("SIGTERM");
    await once(server.child, "exit");
    // What a terminal's Ctrl-C does: SIGINT to the whole foreground process group (npm, sh, tsx, node).
    process.kill(-(fakes.child.pid ?? 0), "SIGINT");
    await fakes.outputClosed;
    expect(fakes.stdout()).toMatch(/Ctrl-C stops them\.\nFake upstreams stopped\.\n$/);
    const urls = [settings.OPENAI_BASE_URL, settings.BEDROCK_ENDPOINT_URL, settings.AWS_ENDPOINT_URL_BEDROCK];
    expect(await Promise.all(urls.map((fake) => refused(fake ?? "")))).toEqual([true, true, true]);
  });

  const script = (...args: string[]) =>
    start(process.execPath, ["--import", TSX, join(ROOT, "scripts/fake-upstreams.ts"), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "" },
    });

  it("stops on SIGTERM and ends by itself, leaving nothing open", async () => {
    const fakes = script("--openai-port", "0", "--bedrock-port", "0", "--bedrock-control-port", "0");
    await fakes.printed(/Ctrl-C stops them\./);
    fakes.child.kill("SIGTERM");
    const [code] = await once(fakes.child, "exit");
    expect(code).toBe(0);
    expect(fakes.stdout()).toMatch(/Fake upstreams stopped\.\n$/);
  });

  it("says which flags choose other ports when one is taken", async () => {
    const taken = net.createServer().listen(0, "127.0.0.1");
    await once(taken, "listening");
    try {
      const { port } = taken.address() as net.AddressInfo;
      const fakes = script("--openai-port", "0", "--bedrock-port", String(port), "--bedrock-control-port", "0");
      const stderr = new Promise<string>((resolve) => {
        let text = "";
        fakes.child.stderr?.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        fakes.child.stderr?.once("close", () => resolve(text));
      });
      const [code] = await once(fakes.child, "exit");
      expect(code).toBe(1);
      expect(await stderr).toContain(`A port is already in use (127.0.0.1:${port})`);
      expect(await stderr).toContain("--openai-port, --bedrock-port, --bedrock-control-port");
    } finally {
      taken.close();
    }
  });
});
