/**
 * `npm run bench:profile -- <scenario>`: a CPU profile (`node --cpu-prof`) of
 * the built server under one of the bench's loads, and a summary of where
 * its time went: the functions with the most self time, and self time by
 * package (our code, Connect, undici, the AWS SDK, Node's internals, GC).
 *
 *   npm run bench:profile -- http-unary|http-stream|grpc-unary|grpc-stream|bedrock-unary|bedrock-stream
 *
 * BENCH_SECONDS (default 5) and BENCH_CONCURRENCY (16) as for the bench;
 * the profile stays in BENCH_PROFILE_DIR (default: a new temporary folder).
 */
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { firstLine } from "./first-line.js";
import { chatServiceClient, fakeBedrockEnv, startProcess } from "./harness.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const KEY = "bench-key";
const SCENARIOS = ["http-unary", "http-stream", "grpc-unary", "grpc-stream", "bedrock-unary", "bedrock-stream"];
const scenario = process.argv[2] ?? "";
if (!SCENARIOS.includes(scenario)) {
  console.error(`usage: npm run bench:profile -- ${SCENARIOS.join("|")}`);
  process.exit(2);
}
const profileDir = process.env.BENCH_PROFILE_DIR ?? mkdtempSync(join(tmpdir(), "open-bedrock-profile-"));
const start = (core: number, [command, ...args]: string[], env: Record<string, string> = {}): ChildProcess =>
  startProcess(command as string, args, env, core);

const bedrockScenario = scenario.startsWith("bedrock");
const upstream = start(1, ["node", "--import", "tsx", `bench/fake-${bedrockScenario ? "bedrock-" : ""}upstream.ts`]);
const upstreamPort = Number(await firstLine(upstream));
const upstreamEnv: Record<string, string> = bedrockScenario
  ? fakeBedrockEnv(upstreamPort)
  : { OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1` };
const server = start(0, ["node", "--cpu-prof", "--cpu-prof-dir", profileDir, "dist/src/main.js"], {
  PORT: "0",
  API_KEY: KEY,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  ...upstreamEnv,
});
const port = Number(new URL((JSON.parse(await firstLine(server)) as { url: string }).url).port);

const model = bedrockScenario ? "anthropic.claude-3-5-sonnet-20240620-v1:0" : "gpt-4o-mini";
const request = { model, messages: [{ role: "user", content: "Hello, benchmark." }] };
const stream = scenario.endsWith("stream");
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const body = JSON.stringify({
  ...request,
  ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
});

function httpCall(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/v1/chat/completions",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
      },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function grpcCall(): () => Promise<void> {
  const { client, metadata } = chatServiceClient(port, KEY);
  return () =>
    new Promise((resolve, reject) => {
      if (!stream) {
        client.CreateChatCompletion(request, metadata, (error: Error | null) => (error ? reject(error) : resolve()));
        return;
      }
      const call = client.StreamChatCompletion(request, metadata) as grpc.ClientReadableStream<unknown>;
      call.on("data", () => {});
      call.on("error", reject);
      call.on("end", () => resolve());
    });
}

const call = scenario.startsWith("grpc") ? grpcCall() : httpCall;
let requests = 0;
const runUntil = (until: number, count: boolean) =>
  Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await call();
        if (count) requests += 1;
      }
    }),
  );
// A second of warm-up, left out of the summary with the start-up before it.
await runUntil(performance.now() + 1000, false);
await runUntil(performance.now() + SECONDS * 1000, true);
agent.destroy();
server.kill("SIGTERM");
await once(server, "exit");
upstream.kill("SIGTERM");

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const file = readdirSync(profileDir)
  .filter((name) => name.endsWith(".cpuprofile"))
  .sort()
  .at(-1);
const profile = JSON.parse(readFileSync(join(profileDir, file ?? ""), "utf8")) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};
// Only the samples of the measured seconds, which end when the server is told to stop.
const hits = new Map<number, number>();
const from = profile.endTime - SECONDS * 1_000_000;
let at = profile.startTime;
let measured = 0;
profile.samples.forEach((id, index) => {
  at += profile.timeDeltas[index] ?? 0;
  if (at < from) return;
  measured += 1;
  hits.set(id, (hits.get(id) ?? 0) + 1);
});
const sampleMs = (SECONDS * 1000) / measured;

function packageOf(url: string, name: string): string {
  if (name === "(garbage collector)") return "GC";
  if (name === "(idle)" || name === "(program)") return name;
  if (!url) return "native";
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (module) return module;
  if (url.startsWith("node:")) return "node internals";
  if (url.includes("/dist/src/")) return "open-bedrock";
  if (url.includes("/dist/gen/")) return "generated code";
  return url;
}

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const count = hits.get(node.id) ?? 0;
  if (count === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*\/(node_modules|dist)\//, "");
  const key = `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + count);
  const module = packageOf(url, functionName);
  byPackage.set(module, (byPackage.get(module) ?? 0) + count);
}
const busy = measured - (byPackage.get("(idle)") ?? 0);
const top = (map: Map<string, number>, n: number) =>
  [...map]
    .filter(([key]) => key !== "(idle)" && !key.startsWith("(idle)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([key, count]) =>
        `${((100 * count) / busy).toFixed(1).padStart(5)}%  ${(count * sampleMs).toFixed(0).padStart(6)} ms  ${key}`,
    );
console.log(`${scenario}: ${requests} requests in ${SECONDS}s; profile ${join(profileDir, file ?? "")}`);
console.log(`busy ${(busy * sampleMs).toFixed(0)} ms, ${((busy * sampleMs) / requests).toFixed(3)} ms per request\n`);
console.log("Self time by package:");
console.log(top(byPackage, 15).join("\n"));
console.log("\nFunctions with the most self time:");
console.log(top(byFunction, 40).join("\n"));
process.exit(0);
