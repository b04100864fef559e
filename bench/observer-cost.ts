/**
 * `npx tsx bench/observer-cost.ts`: what the metrics add to each call on
 * the call path, measured alone (the end-to-end `npm run bench` cannot
 * separate a microsecond from the noise of a shared machine). Runs the
 * observer calls the core makes for a unary call and for a stream, with
 * the metrics and with the no-op observer, and prints nanoseconds per call.
 */
import { create } from "@bufbuild/protobuf";
import { UsageSchema } from "../gen/openbedrock/v1/chat_pb.js";
import { type ChatObserver, NO_OBSERVER } from "../src/core/chat-observer.js";
import { RateLimitError } from "../src/core/errors.js";
import { GatewayMetrics } from "../src/metrics/gateway-metrics.js";

const CALLS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const usage = create(UsageSchema, { promptTokens: 12, completionTokens: 5, totalTokens: 17 });
const limited = new RateLimitError("slow down");
const MODELS = ["gpt-4o-mini", "gpt-4o", "o3-mini", "gpt-4.1"];

function unary(observer: ChatObserver, i: number) {
  const call = observer.begin("openai_http", "chat");
  call.routed("openai", MODELS[i & 3] ?? "gpt-4o-mini");
  call.usage(usage);
  call.end(0.25);
}

function stream(observer: ChatObserver, i: number) {
  const call = observer.begin("grpc", "chat_stream");
  call.routed("bedrock", "anthropic.claude-3-haiku-20240307-v1:0");
  call.firstChunk(0.05);
  call.usage(usage);
  if ((i & 15) === 0) {
    observer.upstreamFailed("bedrock", limited);
    call.end(1.5, limited);
  } else {
    call.end(1.5);
  }
}

function nsPerCall(observer: ChatObserver, run: (observer: ChatObserver, i: number) => void): number {
  for (let i = 0; i < CALLS / 10; i++) run(observer, i);
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) run(observer, i);
  return Number(process.hrtime.bigint() - started) / CALLS;
}

const metrics = new GatewayMetrics();
console.log(`${CALLS} calls per row, node ${process.version}\n`);
console.log("| call | no-op observer ns/call | metrics ns/call | added ns/call |");
console.log("|---|---:|---:|---:|");
for (const [name, run] of [
  ["unary (begin, routed, usage, end)", unary],
  ["stream (begin, routed, first chunk, usage, end; 1 in 16 failing)", stream],
] as const) {
  const bare = Math.min(...[0, 1, 2].map(() => nsPerCall(NO_OBSERVER, run)));
  const measured = Math.min(...[0, 1, 2].map(() => nsPerCall(metrics.observer, run)));
  console.log(`| ${name} | ${bare.toFixed(0)} | ${measured.toFixed(0)} | ${(measured - bare).toFixed(0)} |`);
}
const scrapeStarted = process.hrtime.bigint();
const text = await metrics.text();
const scrapeMs = Number(process.hrtime.bigint() - scrapeStarted) / 1e6;
console.log(`\none scrape: ${scrapeMs.toFixed(2)} ms, ${text.body.length} bytes`);
