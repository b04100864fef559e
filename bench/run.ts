/**
 * `npm run bench`: the gateway's overhead against calling the upstream
 * directly and against one bare hop, measured in the same run on the same
 * machine.
 *
 * Lean fake upstreams (OpenAI, and Bedrock Runtime answering HTTP/1.1 and
 * h2c), the floor (bench/floor-proxy.ts: a pass-through proxy of a few
 * lines of node:http and undici), the built server (`dist/src/main.js`)
 * once per exchange of each provider (`OPENAI_HTTP_CLIENT` and
 * `BEDROCK_HTTP_CLIENT`, `undici` and `sdk`), and this load generator. The
 * floor and the servers are pinned to core 0 when `taskset` exists, the
 * upstreams and the load to core 1. For each scenario the same load runs
 * against the upstream directly, through the floor and through each
 * server, in BENCH_ROUNDS slices (5) interleaved with every other load's,
 * so that a shared machine's slow and fast stretches fall on every row
 * alike; each row gives throughput, latency, CPU milliseconds per request
 * (from /proc) of the floor and the server, the server's CPU as a multiple
 * of the floor's and of HTTP unary's, the gateway's own time from its
 * `server-timing`, and the server's resident memory (now / peak).
 *
 *   BENCH_SECONDS=5 BENCH_CONCURRENCY=16 BENCH_JSON=out.json npm run bench
 *
 * BENCH_BUILT=<dir> runs `<dir>/dist/src/main.js` instead of building this
 * checkout first; BENCH_WARMUP_SECONDS sets the warm-up before each run;
 * BENCH_SERVER_NODE_OPTIONS gives the servers (and only them) Node flags,
 * say `--max-semi-space-size=4`.
 */
import { type ChildProcess, execFileSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { ChatService } from "../gen/openbedrock/v1/chat_pb.js";
import { firstLine } from "./first-line.js";
import { chatServiceClient, fakeBedrockEnv, hasTaskset, ROOT, startProcess } from "./harness.js";
import { gatewayMs } from "./server-timing.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Math.max(1, Math.round(Number(process.env.BENCH_ROUNDS ?? 5)));
const BUILT = process.env.BENCH_BUILT;
const KEY = "bench-key";
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Resident memory now (VmRSS) and at its peak so far (VmHWM), in MiB. */
function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8").split("\n");
  const kib = (field: string) => Number(status.find((line) => line.startsWith(field))?.replace(/\D+/g, "") ?? 0);
  return { rss: kib("VmRSS:") / 1024, peak: kib("VmHWM:") / 1024 };
}

interface Server {
  child: ChildProcess;
  pid: number;
  port: number;
}

/** Starts the built server with these settings; answers its pid and port once it listens. */
async function startGateway(env: Record<string, string>): Promise<Server> {
  const main = join(BUILT ?? ROOT, "dist", "src", "main.js");
  const child = startProcess(
    "node",
    [main],
    {
      PORT: "0",
      API_KEY: KEY,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
      ...env,
    },
    0,
  );
  const { url } = JSON.parse(await firstLine(child)) as { url: string };
  return { child, pid: child.pid ?? 0, port: Number(new URL(url).port) };
}

/** Starts a bench script (a fake upstream, the floor) on a core; it prints its port first. */
async function startScript(script: string, core: number, ...args: string[]): Promise<Server> {
  const child = startProcess("node", ["--import", "tsx", script, ...args], {}, core);
  return { child, pid: child.pid ?? 0, port: Number(await firstLine(child)) };
}

export interface Result {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  /** Mean of the `gateway` entry of the answers' `server-timing`, when they carry one. */
  gatewayMs?: number;
  rssMiB: number;
  peakRssMiB: number;
}

/** One request; answers the `server-timing` value the answer carried, if any. */
type Call = () => Promise<string | undefined>;

/**
 * One load (a call against one process), measured in slices interleaved
 * with the other loads' slices, so that every row sees the same stretches
 * of a shared machine's weather and their ratios hold within a run.
 */
class Measurement {
  readonly #latencies: number[] = [];
  readonly #timings: number[] = [];
  #cpuMs = 0;
  #seconds = 0;
  #memory = { rss: 0, peak: 0 };

  constructor(
    readonly call: Call,
    readonly pid: number,
  ) {}

  warmUp(seconds: number): Promise<void> {
    return runFor(this.call, performance.now() + seconds * 1000);
  }

  async slice(seconds: number): Promise<void> {
    const cpuBefore = cpuMs(this.pid);
    const start = performance.now();
    await runFor(this.call, start + seconds * 1000, this.#latencies, this.#timings);
    this.#seconds += (performance.now() - start) / 1000;
    this.#cpuMs += cpuMs(this.pid) - cpuBefore;
    this.#memory = memoryMiB(this.pid);
  }

  result(): Result {
    const latencies = [...this.#latencies].sort((a, b) => a - b);
    const timings = this.#timings;
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      requests: latencies.length,
      perSecond: latencies.length / this.#seconds,
      p50: at(0.5),
      p99: at(0.99),
      cpuMsPerRequest: this.#cpuMs / Math.max(1, latencies.length),
      ...(timings.length > 0 ? { gatewayMs: timings.reduce((sum, ms) => sum + ms, 0) / timings.length } : {}),
      rssMiB: this.#memory.rss,
      peakRssMiB: this.#memory.peak,
    };
  }
}

async function runFor(call: Call, until: number, latencies?: number[], timings?: number[]) {
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        const timing = await call();
        latencies?.push(performance.now() - started);
        const ms = gatewayMs(timing);
        if (ms !== undefined) timings?.push(ms);
      }
    }),
  );
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(port: number, path: string, body: string, headers: Record<string, string> = {}): Call {
  return () =>
    new Promise<string | undefined>((resolve, reject) => {
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
          res.on("end", () => {
            if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
            // A stream's timing comes in the trailers, once it is complete.
            const timing = res.trailers["server-timing"] ?? res.headers["server-timing"];
            resolve(typeof timing === "string" ? timing : undefined);
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
}

const REQUEST = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello, benchmark." }] };

type GrpcMethod = (
  request: unknown,
  metadata: grpc.Metadata,
) => grpc.ClientUnaryCall & grpc.ClientReadableStream<unknown>;

function grpcClient(port: number) {
  const { client, metadata } = chatServiceClient(port, KEY);
  const timingOf = (status: grpc.StatusObject) => status.metadata.get("server-timing")[0]?.toString();
  const unary: Call = () =>
    new Promise((resolve, reject) => {
      let timing: string | undefined;
      const call = client.CreateChatCompletion(REQUEST, metadata, (error: Error | null) =>
        error ? reject(error) : setImmediate(() => resolve(timing)),
      ) as grpc.ClientUnaryCall;
      call.on("status", (status: grpc.StatusObject) => {
        timing = timingOf(status);
      });
    });
  const stream: Call = () =>
    new Promise((resolve, reject) => {
      const call = (client.StreamChatCompletion as GrpcMethod)(
        { ...REQUEST, stream_options: { include_usage: true } },
        metadata,
      );
      call.on("data", () => {});
      call.on("error", reject);
      call.on("status", (status: grpc.StatusObject) => {
        if (status.code === grpc.status.OK) resolve(timingOf(status));
      });
    });
  return { unary, stream };
}

/** Connect (JSON over HTTP/1.1, as browsers call it) and gRPC-Web (HTTP/1.1), unary. */
function connectCalls(port: number) {
  const baseUrl = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${KEY}` };
  const call =
    (client: ReturnType<typeof createClient<typeof ChatService>>): Call =>
    async () => {
      let timing: string | undefined;
      const keep = (values: Headers) => {
        timing = values.get("server-timing") ?? timing;
      };
      await client.createChatCompletion(REQUEST, { headers, onHeader: keep, onTrailer: keep });
      return timing;
    };
  return {
    connect: call(createClient(ChatService, createConnectTransport({ baseUrl, httpVersion: "1.1" }))),
    grpcWeb: call(createClient(ChatService, createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }))),
  };
}

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
/** The two exchanges each provider can reach its upstream with (OPENAI_HTTP_CLIENT, BEDROCK_HTTP_CLIENT). */
const HTTP_CLIENTS = ["undici", "sdk"] as const;

/** A load to run once and report in several rows: its name, the call, the process measured. */
type Target = [key: string, call: Call, pid: number];

interface Scenario {
  name: string;
  /** The upstream called directly, with what the gateway would send it. */
  direct: Target;
  /** The same as `direct`, through one bare hop. */
  floor: Target;
  /** Through each server: a label (empty for one), the call, the server's pid. */
  via: [label: string, call: Call, pid: number][];
}

export interface Row {
  scenario: string;
  direct: Result;
  floor: Result;
  server: Result;
  /** Server CPU per request over the floor's. */
  overFloor: number;
  /** Server CPU per request over HTTP unary's through the same kind of exchange. */
  overHttpUnary: number;
}

const f = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? "-" : n.toFixed(digits));

function tableRow(row: Row): string {
  const { direct, floor, server } = row;
  return `| ${row.scenario} | ${f(direct.perSecond, 0)} / ${f(floor.perSecond, 0)} / ${f(server.perSecond, 0)} | ${f(server.p50, 2)} / ${f(server.p99, 2)} | ${f(floor.cpuMsPerRequest, 3)} | ${f(server.cpuMsPerRequest, 3)} | ${f(row.overFloor, 1)}x | ${f(row.overHttpUnary, 2)}x | ${f(server.gatewayMs, 2)} | ${f(server.rssMiB, 0)} / ${f(server.peakRssMiB, 0)} |`;
}

export const TABLE_HEADER = [
  "| scenario | req/s direct / floor / server | server p50 / p99 ms | floor CPU ms/req | server CPU ms/req | server ÷ floor | server ÷ HTTP unary | gateway ms (server-timing) | server RSS / peak MiB |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
];

/** The issue's targets, as ratios of rows of this run. */
function targets(rows: Row[]): string[] {
  const cpu = (name: string) => rows.find((row) => row.scenario === name)?.server.cpuMsPerRequest ?? Number.NaN;
  // The bare hop itself costs more for one upstream's traffic than the other's (SigV4 headers, event frames).
  const overFloor = (name: string) => rows.find((row) => row.scenario === name)?.overFloor ?? Number.NaN;
  const overOwnFloor = (name: string, reference: string) => overFloor(name) / overFloor(reference);
  const unary = cpu("HTTP unary, OPENAI_HTTP_CLIENT=undici");
  const stream = cpu("HTTP SSE, 22 chunks, OPENAI_HTTP_CLIENT=undici");
  const check = (label: string, value: number, limit: number, unit = "x") =>
    `- ${label}: ${f(value, unit === "x" ? 2 : 3)}${unit === "x" ? "x" : ` ${unit}`} (target at most ${limit}${unit === "x" ? "x" : ` ${unit}`}): ${value <= limit ? "met" : "not met"}`;
  const peakOf = (sdk: boolean) =>
    Math.max(...rows.filter((row) => row.scenario.includes("=sdk") === sdk).map((row) => row.server.peakRssMiB));
  const peak = peakOf(false);
  return [
    "Targets in this run (server CPU per request, undici exchanges):",
    check("gRPC unary ÷ HTTP unary", cpu("gRPC unary") / unary, 1.2),
    check("gRPC stream ÷ HTTP SSE", cpu("gRPC stream, 22 chunks") / stream, 1),
    check("HTTP unary", unary, 0.12, "ms"),
    check("HTTP SSE, 22 chunks", stream, 0.2, "ms"),
    check("Bedrock Claude unary ÷ HTTP unary", cpu("Bedrock Claude unary, BEDROCK_HTTP_CLIENT=undici") / unary, 1.3),
    check(
      "Bedrock Claude stream ÷ HTTP SSE",
      cpu("Bedrock Claude stream, 25 events, BEDROCK_HTTP_CLIENT=undici") / stream,
      1.3,
    ),
    `- peak RSS of the servers on the default exchanges (undici): ${f(peak, 0)} MiB (target below 120 MiB): ${peak < 120 ? "met" : "not met"}`,
    `- for scale, not a target: peak RSS of the servers on the sdk exchanges, which load the SDKs: ${f(peakOf(true), 0)} MiB`,
    `- for scale, not a target: Bedrock Claude ÷ OpenAI, each over its own floor: unary ${f(overOwnFloor("Bedrock Claude unary, BEDROCK_HTTP_CLIENT=undici", "HTTP unary, OPENAI_HTTP_CLIENT=undici"), 2)}x, stream ${f(overOwnFloor("Bedrock Claude stream, 25 events, BEDROCK_HTTP_CLIENT=undici", "HTTP SSE, 22 chunks, OPENAI_HTTP_CLIENT=undici"), 2)}x`,
  ];
}

async function main() {
  if (!BUILT) execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });
  const upstream = await startScript("bench/fake-upstream.ts", 1);
  const bedrock = await startScript("bench/fake-bedrock-upstream.ts", 1);
  const floors = await Promise.all(
    [upstream, bedrock].map((target) => startScript("bench/floor-proxy.ts", 0, `http://127.0.0.1:${target.port}`)),
  );
  const [openaiFloor, bedrockFloor] = floors as [Server, Server];
  const openaiGateways = await Promise.all(
    HTTP_CLIENTS.map((client) =>
      startGateway({
        OPENAI_HTTP_CLIENT: client,
        OPENAI_API_KEY: "sk-bench",
        OPENAI_BASE_URL: `http://127.0.0.1:${upstream.port}/v1`,
      }),
    ),
  );
  const gateway = openaiGateways[0] as Server;
  const bedrockGateways = await Promise.all(
    HTTP_CLIENTS.map((client) =>
      startGateway({
        BEDROCK_HTTP_CLIENT: client,
        ...fakeBedrockEnv(bedrock.port),
      }),
    ),
  );
  const unary = JSON.stringify(REQUEST);
  const streamed = JSON.stringify({ ...REQUEST, stream: true, stream_options: { include_usage: true } });
  const auth = { authorization: `Bearer ${KEY}` };
  const completions = "/v1/chat/completions";
  const openaiUnary = {
    direct: ["openai unary", post(upstream.port, completions, unary), upstream.pid] as Target,
    floor: ["openai unary floor", post(openaiFloor.port, completions, unary), openaiFloor.pid] as Target,
  };
  const openaiStream = {
    direct: ["openai stream", post(upstream.port, completions, streamed), upstream.pid] as Target,
    floor: ["openai stream floor", post(openaiFloor.port, completions, streamed), openaiFloor.pid] as Target,
  };
  const viaOpenAI = (via: (port: number) => Call): Scenario["via"] =>
    openaiGateways.map((server, index) => [`OPENAI_HTTP_CLIENT=${HTTP_CLIENTS[index]}`, via(server.port), server.pid]);
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
  const bedrockTarget = (key: string, server: Server, operation: string, headers: Record<string, string>): Target => [
    key,
    post(server.port, `/model/${encodeURIComponent(CLAUDE)}/${operation}`, claudeBody, headers),
    server.pid,
  ];
  const viaBedrock = (body: string): Scenario["via"] =>
    bedrockGateways.map((server, index) => [
      `BEDROCK_HTTP_CLIENT=${HTTP_CLIENTS[index]}`,
      post(server.port, completions, body, auth),
      server.pid,
    ]);
  const invoke = { accept: "application/json" };
  const invokeStream = { "x-amzn-bedrock-accept": "application/json" };
  const grpcCalls = grpcClient(gateway.port);
  const rpc = connectCalls(gateway.port);
  const scenarios: Scenario[] = [
    {
      name: "HTTP unary",
      ...openaiUnary,
      via: viaOpenAI((port) => post(port, completions, unary, auth)),
    },
    {
      name: "HTTP SSE, 22 chunks",
      ...openaiStream,
      via: viaOpenAI((port) => post(port, completions, streamed, auth)),
    },
    { name: "gRPC unary", ...openaiUnary, via: [["", grpcCalls.unary, gateway.pid]] },
    { name: "gRPC stream, 22 chunks", ...openaiStream, via: [["", grpcCalls.stream, gateway.pid]] },
    { name: "Connect unary (JSON, HTTP/1.1)", ...openaiUnary, via: [["", rpc.connect, gateway.pid]] },
    { name: "gRPC-Web unary (HTTP/1.1)", ...openaiUnary, via: [["", rpc.grpcWeb, gateway.pid]] },
    {
      name: "Bedrock Claude unary",
      direct: bedrockTarget("bedrock unary", bedrock, "invoke", invoke),
      floor: bedrockTarget("bedrock unary floor", bedrockFloor, "invoke", invoke),
      via: viaBedrock(claudeChat(false)),
    },
    {
      name: "Bedrock Claude stream, 25 events",
      direct: bedrockTarget("bedrock stream", bedrock, "invoke-with-response-stream", invokeStream),
      floor: bedrockTarget("bedrock stream floor", bedrockFloor, "invoke-with-response-stream", invokeStream),
      via: viaBedrock(claudeChat(true)),
    },
  ];
  console.log(
    `\n${SECONDS}s per row in ${ROUNDS} slices, each row's slices interleaved with the others', after ${WARMUP_SECONDS}s of warm-up; ${CONCURRENCY} concurrent requests, floor and servers ${hasTaskset ? "pinned to core 0, upstreams and load to core 1" : "not pinned"}; node ${process.version}\n`,
  );
  // Every load once: a direct or floor load serves several rows.
  const loads = new Map<string, Measurement>();
  const loadOf = (key: string, call: Call, pid: number) => {
    let measurement = loads.get(key);
    if (!measurement) {
      measurement = new Measurement(call, pid);
      loads.set(key, measurement);
    }
    return measurement;
  };
  const plan = scenarios.flatMap((scenario) =>
    scenario.via.map(([label, call, pid]) => {
      const name = label ? `${scenario.name}, ${label}` : scenario.name;
      return {
        name,
        label,
        direct: loadOf(...scenario.direct),
        floor: loadOf(...scenario.floor),
        server: loadOf(name, call, pid),
      };
    }),
  );
  const rows: Row[] = [];
  try {
    for (const measurement of loads.values()) await measurement.warmUp(WARMUP_SECONDS);
    // Every other round backwards, so that no load always follows the same one.
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? [...loads.values()] : [...loads.values()].reverse();
      for (const measurement of order) await measurement.slice(SECONDS / ROUNDS);
    }
    console.log(TABLE_HEADER.join("\n"));
    for (const planned of plan) {
      const server = planned.server.result();
      const floor = planned.floor.result();
      // Each kind of exchange against its own HTTP unary; the RPC rows run on the undici one.
      const reference = rows.find(
        (row) =>
          row.scenario ===
          `HTTP unary, ${planned.label.startsWith("OPENAI_HTTP_CLIENT=sdk") ? "OPENAI_HTTP_CLIENT=sdk" : "OPENAI_HTTP_CLIENT=undici"}`,
      );
      const row: Row = {
        scenario: planned.name,
        direct: planned.direct.result(),
        floor,
        server,
        overFloor: server.cpuMsPerRequest / floor.cpuMsPerRequest,
        overHttpUnary: server.cpuMsPerRequest / (reference?.server ?? server).cpuMsPerRequest,
      };
      rows.push(row);
      console.log(tableRow(row));
    }
    console.log(`\n${targets(rows).join("\n")}`);
    if (process.env.BENCH_JSON) {
      writeFileSync(
        process.env.BENCH_JSON,
        `${JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, concurrency: CONCURRENCY, node: process.version, pinned: hasTaskset, rows }, null, 2)}\n`,
      );
    }
  } finally {
    const servers = [...openaiGateways, ...bedrockGateways, ...floors, bedrock, upstream];
    for (const server of servers) server.child.kill("SIGTERM");
    await Promise.all(servers.map((server) => (server.child.exitCode === null ? once(server.child, "exit") : null)));
    agent.destroy();
  }
  process.exit(0);
}

await main();
