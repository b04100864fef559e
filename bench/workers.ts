/**
 * `npm run bench:workers`: requests per second through the built server
 * with one process, then with `WORKERS` processes (default: one per core),
 * against the lean fake upstream, from this load generator's keep-alive
 * connections (Node's cluster hands each new connection to the next
 * worker). The load generator and the fake share the machine's cores with
 * the server, so the ratio is a floor for what more cores would give.
 *
 *   BENCH_SECONDS=10 BENCH_CONCURRENCY=64 WORKERS=2 BENCH_STREAM=1 npm run bench:workers
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const WORKERS = Number(process.env.WORKERS ?? availableParallelism());
const KEY = "bench-workers-key";

async function firstLine(child: ChildProcess, stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  const lines = createInterface({ input: stream });
  for await (const line of lines) {
    if (pattern.test(line)) {
      lines.close();
      stream.resume();
      return line;
    }
  }
  throw new Error(`process ${child.pid} ended before printing ${pattern}`);
}

async function startServer(upstreamPort: number, workers: number) {
  const child = spawn("node", ["dist/src/cli/main.js", "serve", "--port", "0", "--workers", String(workers)], {
    cwd: ROOT,
    env: {
      ...process.env,
      API_KEY: KEY,
      OPENAI_API_KEY: "sk-bench",
      OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const line = await firstLine(child, child.stderr as NodeJS.ReadableStream, /listening on http/);
  const port = Number(/:(\d+) \(/.exec(line)?.[1]);
  return { child, port };
}

async function stop(child: ChildProcess) {
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

/** BENCH_STREAM=1: SSE streams of 20 chunks, where the server does more per request than the client. */
const STREAM = process.env.BENCH_STREAM === "1";
const body = JSON.stringify({
  model: "gpt-4o-mini",
  stream: STREAM,
  messages: [{ role: "user", content: "Hello, benchmark." }],
});

/** Requests per second with CONCURRENCY keep-alive connections, after a second of warm-up. */
async function load(port: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/v1/chat/completions",
          method: "POST",
          agent,
          headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        },
        (response) => {
          response.resume();
          response.on("end", () =>
            response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`)),
          );
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  const runUntil = async (until: number) => {
    let done = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          await call();
          done += 1;
        }
      }),
    );
    return done;
  };
  await runUntil(performance.now() + 1000);
  const started = performance.now();
  const done = await runUntil(started + SECONDS * 1000);
  agent.destroy();
  return done / ((performance.now() - started) / 1000);
}

const upstream = spawn("node", ["--import", "tsx", "bench/fake-upstream.ts"], {
  cwd: ROOT,
  stdio: ["ignore", "pipe", "inherit"],
});
const upstreamPort = Number(await firstLine(upstream, upstream.stdout as NodeJS.ReadableStream, /^\d+$/));
try {
  const results: Record<string, number> = {};
  for (const workers of [1, WORKERS]) {
    const server = await startServer(upstreamPort, workers);
    try {
      results[`${workers} worker${workers === 1 ? "" : "s"}`] = Math.round(await load(server.port));
    } finally {
      await stop(server.child);
    }
  }
  const [one, many] = Object.values(results) as [number, number];
  console.log(
    JSON.stringify({
      scenario: STREAM ? "HTTP SSE, 20 chunks" : "HTTP unary",
      seconds: SECONDS,
      concurrency: CONCURRENCY,
      cores: availableParallelism(),
      requestsPerSecond: results,
      ratio: Number((many / one).toFixed(2)),
    }),
  );
} finally {
  await stop(upstream);
}
