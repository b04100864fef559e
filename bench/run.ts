/**
 * `npm run bench`: the gateway's overhead against calling the upstream
 * directly, measured in the same run on the same machine.
 *
 * Lean fake upstreams (OpenAI, and Bedrock Runtime answering HTTP/1.1 and
 * h2c), the built server (`dist/src/main.js`, pinned to one core when
 * `taskset` exists) once per exchange of each provider
 * (`OPENAI_HTTP_CLIENT` and `BEDROCK_HTTP_CLIENT`, `undici` and `sdk`),
 * and this load generator. For
 * each scenario it runs the same load once against the upstream directly
 * and once through each server, and reports throughput, latency
 * percentiles, the server's CPU milliseconds per request (from /proc) and
 * its resident memory.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const KEY = "bench-key";
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
const hasTaskset = (() => {
  try {
    execFileSync("taskset", ["-c", "0", "true"]);
    return true;
  } catch {
    return false;
  }
})();

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("VmRSS:"));
  return Number(line?.replace(/\D+/g, "") ?? 0) / 1024;
}

async function startProcess(command: string, args: string[], env: Record<string, string>, core?: number) {
  const [file, argv] =
    hasTaskset && core !== undefined ? ["taskset", ["-c", String(core), command, ...args]] : [command, args];
  const child = spawn(file, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return child;
}

/** Starts the built server with these settings and answers its pid and port once it listens. */
async function startGateway(env: Record<string, string>) {
  const child = await startProcess(
    "node",
    ["dist/src/main.js"],
    { PORT: "0", API_KEY: KEY, LOG_LEVEL: process.env.LOG_LEVEL ?? "info", ...env },
    0,
  );
  const { url } = JSON.parse(await firstLine(child)) as { url: string };
  return { child, pid: child.pid ?? 0, port: Number(new URL(url).port) };
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, "line")) as [string];
  lines.close();
  child.stdout?.resume();
  return line;
}

interface Result {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuMsPerRequest?: number;
  rssMiB?: number;
}

type Call = () => Promise<void>;

async function load(call: Call, measuredPid?: number): Promise<Result> {
  const warmupEnd = performance.now() + 1000;
  await runFor(call, warmupEnd);
  const latencies: number[] = [];
  const cpuBefore = measuredPid ? cpuMs(measuredPid) : 0;
  const start = performance.now();
  await runFor(call, start + SECONDS * 1000, latencies);
  const elapsed = (performance.now() - start) / 1000;
  const cpu = measuredPid ? cpuMs(measuredPid) - cpuBefore : 0;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    ...(measuredPid ? { cpuMsPerRequest: cpu / latencies.length, rssMiB: rssMiB(measuredPid) } : {}),
  };
}

async function runFor(call: Call, until: number, latencies?: number[]) {
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await call();
        latencies?.push(performance.now() - started);
      }
    }),
  );
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(port: number, path: string, body: string, headers: Record<string, string> = {}): Call {
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          path,
          method: "POST",
          agent,
          headers: { "content-type": "application/json", ...headers },
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
}

function grpcCall(port: number): Call {
  const definition = protoLoader.loadSync("openbedrock/v1/chat.proto", {
    includeDirs: [`${ROOT}proto`],
    keepCase: true,
  });
  const service = (
    grpc.loadPackageDefinition(definition) as unknown as {
      openbedrock: { v1: { ChatService: grpc.ServiceClientConstructor } };
    }
  ).openbedrock.v1.ChatService;
  const client = new service(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${KEY}`);
  const request = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello, benchmark." }] };
  return () =>
    new Promise<void>((resolve, reject) =>
      (client.CreateChatCompletion as grpc.requestCallback<unknown> & ((...args: unknown[]) => void))(
        request,
        metadata,
        (error: Error | null) => (error ? reject(error) : resolve()),
      ),
    );
}

function row(name: string, direct: Result, gateway: Result): string {
  const f = (n: number, digits = 1) => n.toFixed(digits);
  return `| ${name} | ${f(direct.perSecond, 0)} | ${f(gateway.perSecond, 0)} | ${f(gateway.perSecond / direct.perSecond, 2)} | ${f(direct.p50, 2)} / ${f(direct.p99, 2)} | ${f(gateway.p50, 2)} / ${f(gateway.p99, 2)} | ${f(direct.cpuMsPerRequest ?? 0, 3)} | ${f(gateway.cpuMsPerRequest ?? 0, 3)} | ${f(gateway.rssMiB ?? 0, 0)} |`;
}

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
/** The two exchanges each provider can reach its upstream with (OPENAI_HTTP_CLIENT, BEDROCK_HTTP_CLIENT). */
const HTTP_CLIENTS = ["undici", "sdk"] as const;

interface Scenario {
  name: string;
  direct: Call;
  /** Pid of the upstream the direct calls reach. */
  upstreamPid: number;
  /** Through each server: a label (empty for one), the call, the server's pid. */
  via: [string, Call, number][];
}

/** Each provider's two exchanges against each other, from the rows of this run. */
function exchangeSummary(scenarios: Scenario[], results: Map<string, Result>): string {
  const lines = ["Exchanges in this run, undici against sdk:"];
  for (const scenario of scenarios) {
    const setting = scenario.via[0]?.[0].split("=")[0];
    if (!setting) continue;
    const [undici, sdk] = HTTP_CLIENTS.map((client) => results.get(`${scenario.name}, ${setting}=${client}`));
    if (!undici || !sdk) continue;
    const cpu = (sdk.cpuMsPerRequest ?? 0) / (undici.cpuMsPerRequest || Number.NaN);
    lines.push(
      `- ${scenario.name}: ${(undici.perSecond / sdk.perSecond).toFixed(2)}x the throughput, ${cpu.toFixed(2)}x less server CPU per request (${(undici.cpuMsPerRequest ?? 0).toFixed(3)} vs ${(sdk.cpuMsPerRequest ?? 0).toFixed(3)} ms)`,
    );
  }
  return lines.join("\n");
}

async function main() {
  execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });
  const upstream = await startProcess("node", ["--import", "tsx", "bench/fake-upstream.ts"], {}, 1);
  const upstreamPort = Number(await firstLine(upstream));
  const bedrock = await startProcess("node", ["--import", "tsx", "bench/fake-bedrock-upstream.ts"], {}, 1);
  const bedrockPort = Number(await firstLine(bedrock));
  const openaiGateways = await Promise.all(
    HTTP_CLIENTS.map((client) =>
      startGateway({
        OPENAI_HTTP_CLIENT: client,
        OPENAI_API_KEY: "sk-bench",
        OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
      }),
    ),
  );
  const gateway = openaiGateways[0] as Awaited<ReturnType<typeof startGateway>>;
  const bedrockGateways = await Promise.all(
    HTTP_CLIENTS.map((client) =>
      startGateway({
        BEDROCK_HTTP_CLIENT: client,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIABENCH00000000001",
        AWS_SECRET_ACCESS_KEY: "benchSecretAccessKey/0123456789abcdefghij",
        BEDROCK_ENDPOINT_URL: `http://127.0.0.1:${bedrockPort}`,
        // Model listing is not measured; it must not leave this machine either.
        AWS_ENDPOINT_URL_BEDROCK: `http://127.0.0.1:${bedrockPort}`,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      }),
    ),
  );
  const unary = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello, benchmark." }] });
  const streamed = JSON.stringify({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Hello, benchmark." }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const auth = { authorization: `Bearer ${KEY}` };
  const openai = (name: string, direct: Call, via: (port: number) => Call): Scenario => ({
    name,
    direct,
    upstreamPid: upstream.pid ?? 0,
    via: openaiGateways.map((server, index) => [
      `OPENAI_HTTP_CLIENT=${HTTP_CLIENTS[index]}`,
      via(server.port),
      server.pid,
    ]),
  });
  // Claude on Bedrock: the model's own body straight to the fake, the Chat Completions body through each server.
  const claudeBody = JSON.stringify({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 4096,
    messages: [{ role: "user", content: [{ type: "text", text: "Hello, benchmark." }] }],
  });
  const claudeChat = (stream: boolean) =>
    JSON.stringify({
      model: CLAUDE,
      messages: [{ role: "user", content: "Hello, benchmark." }],
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    });
  const bedrockPath = (operation: string) => `/model/${encodeURIComponent(CLAUDE)}/${operation}`;
  const bedrockVia = (body: string): [string, Call, number][] =>
    bedrockGateways.map((server, index) => [
      `BEDROCK_HTTP_CLIENT=${HTTP_CLIENTS[index]}`,
      post(server.port, "/v1/chat/completions", body, auth),
      server.pid,
    ]);
  const scenarios: Scenario[] = [
    openai("HTTP unary", post(upstreamPort, "/v1/chat/completions", unary), (port) =>
      post(port, "/v1/chat/completions", unary, auth),
    ),
    openai("HTTP SSE, 22 chunks", post(upstreamPort, "/v1/chat/completions", streamed), (port) =>
      post(port, "/v1/chat/completions", streamed, auth),
    ),
    {
      name: "gRPC unary (upstream: HTTP unary)",
      direct: post(upstreamPort, "/v1/chat/completions", unary),
      upstreamPid: upstream.pid ?? 0,
      via: [["", grpcCall(gateway.port), gateway.pid]],
    },
    {
      name: "Bedrock Claude unary",
      direct: post(bedrockPort, bedrockPath("invoke"), claudeBody, { accept: "application/json" }),
      upstreamPid: bedrock.pid ?? 0,
      via: bedrockVia(claudeChat(false)),
    },
    {
      name: "Bedrock Claude stream, 25 events",
      direct: post(bedrockPort, bedrockPath("invoke-with-response-stream"), claudeBody, {
        "x-amzn-bedrock-accept": "application/json",
      }),
      upstreamPid: bedrock.pid ?? 0,
      via: bedrockVia(claudeChat(true)),
    },
  ];
  console.log(
    `\n${SECONDS}s per run, ${CONCURRENCY} concurrent requests, server ${hasTaskset ? "pinned to core 0" : "not pinned"}; node ${process.version}\n`,
  );
  console.log(
    "| scenario | direct req/s | via server req/s | throughput ratio | direct p50 / p99 ms | via server p50 / p99 ms | upstream CPU ms/req | server CPU ms/req | server RSS MiB |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  const labelled = new Map<string, Result>();
  try {
    for (const scenario of scenarios) {
      const directResult = await load(scenario.direct, scenario.upstreamPid);
      for (const [label, call, pid] of scenario.via) {
        const gatewayResult = await load(call, pid);
        const name = label ? `${scenario.name}, ${label}` : scenario.name;
        if (label) labelled.set(name, gatewayResult);
        console.log(row(name, directResult, gatewayResult));
      }
    }
    console.log(`\n${exchangeSummary(scenarios, labelled)}`);
  } finally {
    for (const child of [...[...openaiGateways, ...bedrockGateways].map((server) => server.child), bedrock, upstream]) {
      child.kill("SIGTERM");
    }
    agent.destroy();
  }
  process.exit(0);
}

await main();
