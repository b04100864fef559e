/**
 * `serve --workers N`: the built command, as an operator runs it. Several
 * processes serve the one port, the start messages come once, connections
 * spread over the workers, metrics add up across them, a dead worker is
 * replaced, SIGHUP reaches every worker, and SIGTERM drains them all.
 */
import { type ChildProcess, execFile } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { promisify } from "node:util";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_OPENAI_KEY, FakeOpenAI } from "../../fakes/fake-openai.js";
import { createHealthClient, type ServingStatus } from "../../helpers/grpc-health-client.js";
import { parsePrometheusText, sampleSum } from "../../helpers/prometheus-text.js";
import {
  BUILD_TIMEOUT_MS,
  type CliSandbox,
  cliCommand,
  createSandbox,
  spawnCli,
  waitForOutput,
} from "../../helpers/run-cli.js";

beforeAll(() => cliCommand(), BUILD_TIMEOUT_MS);

let upstream: FakeOpenAI;
const sandboxes: CliSandbox[] = [];
const running = new Set<ChildProcess>();

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
});

afterAll(async () => {
  // A primary that dies takes its workers with it (Node's cluster ends them).
  await Promise.all(
    [...running].map((child) => {
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      return exited;
    }),
  );
  await upstream?.close();
  for (const sandbox of sandboxes) sandbox.remove();
});

interface Primary {
  child: ChildProcess;
  pid: number;
  url: string;
  key: string;
  stdout: () => string;
  stderr: () => string;
  /** The log lines so far, parsed. */
  logs: () => Record<string, unknown>[];
  /** Resolves with the first log line that matches, now or later. */
  logged: (matches: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
}

async function serveWorkers(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Primary> {
  const sandbox = createSandbox();
  sandboxes.push(sandbox);
  const child = await spawnCli(["serve", "--port", "0", ...args], {
    sandbox,
    env: { OPENAI_BASE_URL: upstream.baseURL, OPENAI_API_KEY: FAKE_OPENAI_KEY, ...env },
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  let onLine = () => {};
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    onLine();
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const [, url] = await waitForOutput(child.stderr as NodeJS.ReadableStream, /listening on (http:\/\/\S+) /, 60_000);
  const logs = () =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const generated = /accepts only this generated key:\n\n {4}(\S+)/.exec(stderr)?.[1];
  return {
    child,
    pid: child.pid as number,
    url: url as string,
    key: env.API_KEY ?? generated ?? "",
    stdout: () => stdout,
    stderr: () => stderr,
    logs,
    logged: (matches) =>
      new Promise((resolve) => {
        onLine = () => {
          const found = logs().find(matches);
          if (found) resolve(found);
        };
        onLine();
      }),
  };
}

/** The pids of the processes whose parent is `pid` (Linux's /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        // The command name sits in parentheses and may hold spaces; the parent pid follows the state.
        const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return parent === pid ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A chat request on a connection of its own, so the cluster hands each to the next worker. */
function chatOnNewConnection(primary: Primary, text: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: text }] });
    const request = http.request(`${primary.url}/v1/chat/completions`, {
      method: "POST",
      agent: false,
      headers: { authorization: `Bearer ${primary.key}`, "content-type": "application/json" },
    });
    request.on("response", (response) => {
      let received = "";
      response.setEncoding("utf8").on("data", (chunk: string) => {
        received += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: received }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

const requestPids = (primary: Primary) =>
  new Set(
    primary
      .logs()
      .flatMap((line) => (line.msg === "request" && line.path === "/v1/chat/completions" ? [line.pid] : [])),
  );

describe("serve --workers", () => {
  let primary: Primary;

  beforeAll(async () => {
    primary = await serveWorkers(["--workers", "2"]);
  }, 90_000);

  it("runs two workers under the primary, and says where it listens and the generated key once", async () => {
    expect(childrenOf(primary.pid)).toHaveLength(2);
    expect(primary.stderr().match(/generated key/g)).toHaveLength(1);
    expect(primary.stderr().match(/listening on/g)).toHaveLength(1);
    // The log (stdout) may come after stderr's line.
    const start = await primary.logged((line) => String(line.msg).includes(" listening on "));
    expect(start).toMatchObject({ pid: primary.pid, workers: 2, providers: ["openai"] });
    expect(primary.logs().filter((line) => String(line.msg).includes(" listening on "))).toHaveLength(1);
  });

  it("spreads connections over the workers, each taking the one generated key, and sums their metrics", async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) => chatOnNewConnection(primary, `n${index}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect([...requestPids(primary)].sort()).toEqual(childrenOf(primary.pid).sort());
    const metrics = await fetch(`${primary.url}/metrics`, { headers: { authorization: `Bearer ${primary.key}` } });
    const exposition = parsePrometheusText(await metrics.text());
    expect(sampleSum(exposition, "open_bedrock_requests_total", { operation: "chat", outcome: "ok" })).toBe(12);
  });

  it("passes SIGHUP on to every worker, which keep serving", async () => {
    const workers = childrenOf(primary.pid).sort();
    primary.child.kill("SIGHUP");
    for (const pid of workers) await primary.logged((line) => line.pid === pid && line.signal === "SIGHUP");
    expect(childrenOf(primary.pid).sort()).toEqual(workers);
    expect((await chatOnNewConnection(primary, "after SIGHUP")).status).toBe(200);
  });

  it("replaces a worker that dies, and keeps serving", async () => {
    const [victim, survivor] = childrenOf(primary.pid) as [number, number];
    process.kill(victim, "SIGKILL");
    const replaced = await primary.logged((line) => line.msg === "a new worker is serving");
    expect(primary.logs()).toContainEqual(
      expect.objectContaining({
        msg: "a worker ended unexpectedly; starting another",
        worker: victim,
        signal: "SIGKILL",
      }),
    );
    expect(childrenOf(primary.pid).sort()).toEqual([survivor, replaced.worker].sort());
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) => chatOnNewConnection(primary, `r${index}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
  });

  it("drains every worker on SIGTERM: a running stream completes, health turns NOT_SERVING, all exit 0", async () => {
    const workers = childrenOf(primary.pid);
    const health = createHealthClient(primary.url);
    const watch = health.watch("");
    const statuses: ServingStatus[] = [];
    watch.on("data", (message: { status: ServingStatus }) => statuses.push(message.status));
    watch.on("error", () => {});
    const watched = new Promise<number>((resolve) =>
      watch.on("status", (final: { code: number }) => resolve(final.code)),
    );
    await new Promise<void>((resolve) => watch.once("data", () => resolve()));
    upstream.enqueue({ kind: "reply", text: "one two three four five six", chunkDelayMs: 150 });
    const stream = await fetch(`${primary.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${primary.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "drain" }] }),
    });
    await upstream.nextChatRequest();
    const exited = once(primary.child, "exit");
    primary.child.kill("SIGTERM");
    const text = await stream.text();
    expect(text).toContain("six");
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    expect(await watched).toBe(status.OK);
    expect(statuses).toEqual(["SERVING", "NOT_SERVING"]);
    health.close();
    expect(await exited).toEqual([0, null]);
    running.delete(primary.child);
    for (const pid of workers) expect(alive(pid), `worker ${pid}`).toBe(false);
  });
});

describe("serve --workers, failing to start", () => {
  it("fails with the one-line message of a single process when the port is taken", async () => {
    const first = await serveWorkers(["--workers", "2"], { API_KEY: "client-key-1" });
    const port = new URL(first.url).port;
    const sandbox = createSandbox();
    sandboxes.push(sandbox);
    const [node, ...script] = (await cliCommand()) as [string, ...string[]];
    const second = await promisify(execFile)(node, [...script, "serve", "--workers", "2", "--port", port], {
      cwd: sandbox.dir,
      env: { ...sandbox.env, API_KEY: "client-key-1" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `open-bedrock: Cannot listen on port ${port} on 127.0.0.1: another server is listening there (perhaps open-bedrock, already running). Stop it, or choose another port with PORT or --port.\n`,
    );
    const exited = once(first.child, "exit");
    first.child.kill("SIGTERM");
    expect(await exited).toEqual([0, null]);
    running.delete(first.child);
  });
});
