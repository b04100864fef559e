/**
 * A bounded soak: many streams at once, for a while, half SSE over HTTP/1.1
 * and half gRPC over HTTP/2, against a fake OpenAI that fails one request
 * in a hundred (every other one before its stream, the rest in the
 * middle). Every stream must complete intact or fail with the error its
 * failure maps to; none may hang; and the heap must come back near where
 * it started once the clients are gone.
 *
 * CI runs a short version. The long one:
 *   SOAK_STREAMS=1000 SOAK_SECONDS=20 npx vitest run test/e2e/soak.test.ts
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { status } from "@grpc/grpc-js";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Behavior, FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient, type GrpcChatClient, type GrpcMessage } from "../helpers/grpc-client.js";

const STREAMS = Number(process.env.SOAK_STREAMS ?? 200);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 3);
/** A stream that takes longer than this has hung. */
const HUNG_AFTER_MS = 30_000;
const GRPC_CHANNELS = 4;
/** The lanes start one after the other over this time. */
const RAMP_MS = 1000;
const FAILURE_MESSAGE = "The server had an error while processing your request.";

// The heap is compared after a full collection, which this process may ask for.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

let upstream: FakeOpenAI;
let gateway: TestGateway;
let dispatcher: Agent;
let channels: GrpcChatClient[];

/** Every hundredth request fails: before its stream (503), or after two chunks. */
function failingOneInAHundred(): () => Behavior {
  let count = 0;
  return () => {
    count += 1;
    if (count % 100 !== 0) return { kind: "reply", chunkDelayMs: 20 };
    if (count % 200 === 0) {
      return {
        kind: "error",
        status: 503,
        body: { error: { message: FAILURE_MESSAGE, type: "server_error", param: null, code: null } },
      };
    }
    return {
      kind: "midstream-error",
      afterChunks: 2,
      error: { error: { message: FAILURE_MESSAGE, type: "server_error", param: null, code: null } },
    };
  };
}

type Outcome = "completed" | "failed-before-stream" | "failed-mid-stream";

interface Tally {
  outcomes: Record<Outcome, number>;
  wrong: string[];
  hung: number;
  durationsMs: number[];
  /** By protocol, without each lane's first stream, which also waits for its connection in the opening burst. */
  laterDurationsMs: { sse: number[]; grpc: number[] };
}

function request(said: string, stream = true) {
  return { model: "gpt-4o-mini", stream, messages: [{ role: "user", content: said }] };
}

/** One SSE stream over HTTP/1.1: what came back, judged. */
async function sseStream(said: string): Promise<Outcome> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
    body: JSON.stringify(request(said)),
    signal: AbortSignal.timeout(HUNG_AFTER_MS),
    dispatcher,
  });
  const text = await response.text();
  if (response.status === 503) {
    const body = JSON.parse(text) as { error: { type: string; message: string } };
    if (body.error.type === "service_unavailable_error" && body.error.message.includes(FAILURE_MESSAGE)) {
      return "failed-before-stream";
    }
    throw new Error(`unexpected 503 body: ${text}`);
  }
  if (response.status !== 200) throw new Error(`status ${response.status}: ${text}`);
  const events = text
    .split("\n\n")
    .filter((event) => event.startsWith("data: "))
    .map((event) => event.slice(6));
  if (events.at(-1) !== "[DONE]") {
    const last = JSON.parse(events.at(-1) ?? "{}") as { error?: { message: string } };
    if (last.error?.message.includes(FAILURE_MESSAGE)) return "failed-mid-stream";
    throw new Error(`a stream that neither completed nor failed properly: ${text}`);
  }
  const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as GrpcMessage);
  const content = chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? "").join("");
  if (content !== `You said: ${said}`) throw new Error(`wrong content: ${JSON.stringify(content)}`);
  if (chunks.at(-1)?.choices?.[0]?.finish_reason !== "stop") throw new Error("no finish_reason stop");
  return "completed";
}

/** One server-streaming RPC over HTTP/2: what came back, judged. */
async function grpcStream(client: GrpcChatClient, said: string): Promise<Outcome> {
  const chunks: GrpcMessage[] = [];
  try {
    for await (const chunk of client.stream(request(said, false), { deadlineMs: HUNG_AFTER_MS })) {
      chunks.push(chunk as GrpcMessage);
    }
  } catch (error) {
    const failure = error as { code: number; details: string };
    if (!failure.details?.includes(FAILURE_MESSAGE)) throw error;
    if (failure.code === status.UNAVAILABLE && chunks.length === 0) return "failed-before-stream";
    if (failure.code === status.INTERNAL && chunks.length > 0) return "failed-mid-stream";
    throw error;
  }
  const content = chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? "").join("");
  if (content !== `You said: ${said}`) throw new Error(`wrong content: ${JSON.stringify(content)}`);
  if (chunks.at(-1)?.choices?.[0]?.finish_reason !== "stop") throw new Error("no finish_reason stop");
  return "completed";
}

/** Keeps `lanes` streams running until `until`, each lane starting its next stream when one ends. */
async function soak(lanes: number, until: number): Promise<Tally> {
  const tally: Tally = {
    outcomes: { completed: 0, "failed-before-stream": 0, "failed-mid-stream": 0 },
    wrong: [],
    hung: 0,
    durationsMs: [],
    laterDurationsMs: { sse: [], grpc: [] },
  };
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      // Clients arrive over the first second, not all in the same instant (a SYN flood of its own).
      await new Promise((resolve) => setTimeout(resolve, (lane * RAMP_MS) / lanes));
      for (let round = 0; Date.now() < until; round++) {
        const said = `soak lane ${lane} round ${round}`;
        const started = performance.now();
        try {
          const outcome =
            lane % 2 === 0
              ? await sseStream(said)
              : await grpcStream(channels[Math.floor(lane / 2) % GRPC_CHANNELS] as GrpcChatClient, said);
          tally.outcomes[outcome] += 1;
        } catch (error) {
          const text = String((error as Error).message ?? error);
          if (/timeout|deadline/i.test(text)) tally.hung += 1;
          else tally.wrong.push(text);
        }
        const took = performance.now() - started;
        tally.durationsMs.push(took);
        if (round > 0) tally.laterDurationsMs[lane % 2 === 0 ? "sse" : "grpc"].push(took);
      }
    }),
  );
  return tally;
}

function heapMiB(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function openClients(): void {
  dispatcher = new Agent({ connections: STREAMS, keepAliveTimeout: 4_000 });
  // Separate connections, as separate client processes would have.
  channels = Array.from({ length: GRPC_CHANNELS }, () =>
    createGrpcChatClient(gateway.url, gateway.key, undefined, { "grpc.use_local_subchannel_pool": 1 }),
  );
}

async function closeClients(): Promise<void> {
  for (const channel of channels) channel.close();
  await dispatcher.close();
}

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  gateway = await startGateway({ openaiBaseURL: upstream.baseURL, config: { logLevel: "warn" } });
});

afterAll(async () => {
  await gateway?.close(0);
  await upstream?.close();
});

describe("soak", () => {
  it(
    `${STREAMS} concurrent streams for ${SECONDS} s, 1% failing upstream: each intact or failed rightly, none hung, the heap back near its start`,
    async () => {
      // Warm up (modules, pools, JIT) before the heap is measured.
      openClients();
      await soak(Math.min(STREAMS, 20), Date.now() + 300);
      await closeClients();
      upstream.reset();
      const heapBefore = heapMiB();

      upstream.defaultBehavior = failingOneInAHundred();
      openClients();
      const started = Date.now();
      const tally = await soak(STREAMS, started + SECONDS * 1000);
      const elapsedS = (Date.now() - started) / 1000;
      const heapPeak = process.memoryUsage().heapUsed / 2 ** 20;
      await closeClients();
      upstream.reset();
      const heapAfter = heapMiB();

      const total = tally.durationsMs.length;
      const percentiles = (durations: number[]) => {
        const sorted = [...durations].sort((a, b) => a - b);
        const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
        return { p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0) };
      };

      console.log(
        JSON.stringify({
          soak: { streams: STREAMS, seconds: SECONDS, elapsedS: Number(elapsedS.toFixed(1)) },
          total,
          perSecond: Math.round(total / elapsedS),
          ...tally.outcomes,
          wrong: tally.wrong.length,
          hung: tally.hung,
          ms: percentiles(tally.durationsMs),
          msAfterFirstRound: {
            sse: percentiles(tally.laterDurationsMs.sse),
            grpc: percentiles(tally.laterDurationsMs.grpc),
          },
          heapMiB: { before: Math.round(heapBefore), peak: Math.round(heapPeak), after: Math.round(heapAfter) },
        }),
      );

      expect(tally.wrong.slice(0, 5)).toEqual([]);
      expect(tally.hung).toBe(0);
      expect(total).toBeGreaterThanOrEqual(STREAMS);
      const failed = tally.outcomes["failed-before-stream"] + tally.outcomes["failed-mid-stream"];
      // One upstream request in a hundred fails, and the rest complete.
      expect(failed).toBe(Math.floor(total / 100));
      if (total >= 200) expect(tally.outcomes["failed-before-stream"]).toBeGreaterThan(0);
      expect(tally.outcomes.completed).toBe(total - failed);
      // What the streams held is released: the heap ends within a few MiB a hundred streams of where it began.
      expect(heapAfter - heapBefore).toBeLessThan(16 + STREAMS / 100);
    },
    SECONDS * 1000 + 120_000,
  );
});
