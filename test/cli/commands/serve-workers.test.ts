/**
 * `serve --workers N`: the built command, as an operator runs it. Several
 * processes serve the one port, the start messages come once, connections
 * spread over the workers, metrics add up across them, a dead worker is
 * replaced, the models file reloaded by the primary (on a change or SIGHUP)
 * is in force in every worker, and SIGTERM drains them all.
 */
import { type ChildProcess, execFile } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
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
  /** Resolves once the log lines so far pass `check`. */
  untilLogs: (check: (lines: Record<string, unknown>[]) => boolean) => Promise<void>;
}

async function serveWorkers(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  sandbox: CliSandbox = createSandbox(),
): Promise<Primary> {
  sandboxes.push(sandbox);
  const child = await spawnCli(["serve", "--port", "0", ...args], {
    sandbox,
    env: { OPENAI_BASE_URL: upstream.baseURL, OPENAI_API_KEY: FAKE_OPENAI_KEY, ...env },
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  // Each waiter is asked again whenever the log grows.
  const waiters = new Set<() => void>();
  const onLine = () => {
    for (const waiter of waiters) waiter();
  };
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
  const untilLogs = (check: (lines: Record<string, unknown>[]) => boolean) =>
    new Promise<void>((resolve) => {
      const waiter = () => {
        if (!check(logs())) return;
        waiters.delete(waiter);
        resolve();
      };
      waiters.add(waiter);
      waiter();
    });
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
      untilLogs((lines) => lines.some(matches)).then(() => logs().find(matches) as Record<string, unknown>),
    untilLogs,
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

interface ChatAnswer {
  status: number;
  body: string;
  /** The x-open-bedrock-target header: which target served. */
  target: string | undefined;
}

/**
 * A chat request on a connection of its own, so the cluster hands each to
 * the next worker; `requestId` finds its log line, which names the worker.
 */
function chatOnNewConnection(
  primary: Primary,
  text: string,
  { model = "gpt-4o-mini", requestId }: { model?: string; requestId?: string } = {},
): Promise<ChatAnswer> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model, messages: [{ role: "user", content: text }] });
    const request = http.request(`${primary.url}/v1/chat/completions`, {
      method: "POST",
      agent: false,
      headers: {
        authorization: `Bearer ${primary.key}`,
        "content-type": "application/json",
        ...(requestId ? { "x-request-id": requestId } : {}),
      },
    });
    request.on("response", (response) => {
      let received = "";
      response.setEncoding("utf8").on("data", (chunk: string) => {
        received += chunk;
      });
      const target = response.headers["x-open-bedrock-target"];
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          body: received,
          target: typeof target === "string" ? target : undefined,
        }),
      );
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** The log lines of chat requests whose request id begins with `idPrefix`. */
const requestLines = (lines: Record<string, unknown>[], idPrefix: string) =>
  lines.filter(
    (line) =>
      line.msg === "request" && line.path === "/v1/chat/completions" && String(line.requestId).startsWith(idPrefix),
  );

/**
 * The workers that served the `count` chat requests whose id begins with
 * `idPrefix`, once each has its log line (written when its answer is done,
 * so perhaps after the caller has it).
 */
async function requestPids(primary: Primary, idPrefix: string, count: number): Promise<number[]> {
  await primary.untilLogs((lines) => requestLines(lines, idPrefix).length >= count);
  return [...new Set(requestLines(primary.logs(), idPrefix).map((line) => line.pid as number))].sort();
}

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
    expect(await requestPids(primary, "", 12)).toEqual(childrenOf(primary.pid).sort());
    const metrics = await fetch(`${primary.url}/metrics`, { headers: { authorization: `Bearer ${primary.key}` } });
    const exposition = parsePrometheusText(await metrics.text());
    expect(sampleSum(exposition, "open_bedrock_requests_total", { operation: "chat", outcome: "ok" })).toBe(12);
  });

  it("takes SIGHUP in the primary (no models file to reload) and at a worker, and every worker keeps serving", async () => {
    const workers = childrenOf(primary.pid).sort();
    primary.child.kill("SIGHUP");
    await primary.logged((line) => line.pid === primary.pid && line.msg === "SIGHUP: no MODELS_FILE to reload");
    // A hang-up sent to the process group reaches the workers as well.
    for (const pid of workers) process.kill(pid, "SIGHUP");
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) => chatOnNewConnection(primary, `after SIGHUP ${n}`, { requestId: `hup-${n}` })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    // Both served after their hang-up: neither ended.
    expect(await requestPids(primary, "hup-", 4)).toEqual(workers);
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

describe("serve --workers with a models file", () => {
  const BACKUP_KEY = "sk-fake-backup-account-0123456789";
  const backup = new FakeOpenAI(BACKUP_KEY);
  const sandbox = createSandbox();
  const modelsFile = join(sandbox.dir, "models", "models.yaml");
  let primary: Primary;

  /** The backup account (its key read from the environment) and the aliases: `first`, `backed`, and more. */
  const fileWith = (more = "") => `providers:
  backup:
    type: openai
    base_url: ${backup.baseURL}
    api_key: \${BACKUP_KEY}
models:
  first:
    targets: [openai/gpt-4o-mini]
  backed:
    targets: [backup/gpt-4o-mini]
${more}`;

  /** Resolves once every worker has logged a models-file load that `matches`. */
  async function loadedInEveryWorker(matches: (line: Record<string, unknown>) => boolean): Promise<void> {
    for (const pid of childrenOf(primary.pid)) {
      await primary.logged((line) => line.pid === pid && line.msg === "models file loaded" && matches(line));
    }
  }

  /** `count` requests for `model`, each on a new connection: their answers, and the workers that served them. */
  async function spread(model: string, count: number) {
    const tag = `${model}-${Date.now()}-`;
    const answers = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        chatOnNewConnection(primary, `n${index}`, { model, requestId: `${tag}${index}` }),
      ),
    );
    return { answers, pids: await requestPids(primary, tag, count) };
  }

  beforeAll(async () => {
    await backup.start();
    mkdirSync(join(sandbox.dir, "models"));
    writeFileSync(modelsFile, fileWith());
    primary = await serveWorkers(["--workers", "2"], { API_KEY: "client-key-2", MODELS_FILE: modelsFile }, sandbox);
  }, 90_000);

  afterAll(async () => {
    await backup.close();
  });

  it("puts an alias added to the file in force in every worker, and each serves it", async () => {
    writeFileSync(modelsFile, fileWith("  second:\n    targets: [openai/gpt-4o]\n"));
    await primary.logged((line) => line.pid === primary.pid && line.msg === "models file passed on to the workers");
    await loadedInEveryWorker((line) => (line.models as string[]).includes("second"));
    const { answers, pids } = await spread("second", 12);
    expect(answers.map((answer) => [answer.status, answer.target])).toEqual(Array(12).fill([200, "openai/gpt-4o"]));
    expect(pids).toEqual(childrenOf(primary.pid).sort());
  });

  it("reads the file's variables again on SIGHUP, and every worker serves the provider they turned on", async () => {
    const before = await chatOnNewConnection(primary, "too early", { model: "backed" });
    expect(before.status).toBe(503);
    expect(before.body).toContain("BACKUP_KEY");
    // The file is the same; only SIGHUP makes the server read .env again.
    writeFileSync(join(sandbox.dir, ".env"), `BACKUP_KEY=${BACKUP_KEY}\n`);
    primary.child.kill("SIGHUP");
    await loadedInEveryWorker((line) => (line.providers as string[]).includes("backup"));
    const { answers, pids } = await spread("backed", 12);
    expect(answers.map((answer) => [answer.status, answer.target])).toEqual(
      Array(12).fill([200, "backup/gpt-4o-mini"]),
    );
    expect(pids).toEqual(childrenOf(primary.pid).sort());
    expect(backup.chatRequests).toHaveLength(12);
    expect(primary.stdout()).not.toContain(BACKUP_KEY);
  });

  it("starts a worker that replaces a dead one with the file in force", async () => {
    const [victim] = childrenOf(primary.pid) as [number];
    process.kill(victim, "SIGKILL");
    await primary.logged((line) => line.msg === "a new worker is serving");
    const { answers, pids } = await spread("second", 8);
    // Without the file in force, "second" would go to OpenAI as it is (openai/second).
    expect(answers.map((answer) => [answer.status, answer.target])).toEqual(Array(8).fill([200, "openai/gpt-4o"]));
    expect(pids).toEqual(childrenOf(primary.pid).sort());
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
