import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import {
  CHAT_OPERATIONS,
  type ChatOperation,
  TRANSPORT_PROTOCOLS,
  type TransportProtocol,
} from "../../src/core/chat-observer.js";
import {
  CanceledError,
  ConfigurationError,
  type GatewayError,
  InvalidRequestError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from "../../src/core/errors.js";
import { PROVIDER_NAMES, type ProviderName } from "../../src/core/model-router.js";
import { GatewayMetrics } from "../../src/metrics/gateway-metrics.js";
import { type Exposition, parsePrometheusText, sampleSum, samplesOf } from "../helpers/prometheus-text.js";

const REQUESTS = "open_bedrock_requests_total";
const DURATION = "open_bedrock_request_duration_seconds";
const FIRST_CHUNK = "open_bedrock_stream_first_chunk_seconds";
const PROMPT = "open_bedrock_prompt_tokens_total";
const COMPLETION = "open_bedrock_completion_tokens_total";
const CACHE_READ = "open_bedrock_cache_read_tokens_total";
const CACHE_WRITE = "open_bedrock_cache_write_tokens_total";
const IN_FLIGHT = "open_bedrock_in_flight_requests";
const UPSTREAM_ERRORS = "open_bedrock_upstream_errors_total";
const ATTEMPTS = "open_bedrock_upstream_attempts_total";
const RETRIES = "open_bedrock_upstream_retries_total";
const FALLBACKS = "open_bedrock_fallbacks_total";
const COOLDOWNS = "open_bedrock_cooldowns_total";

async function scrape(metrics: GatewayMetrics): Promise<Exposition> {
  return parsePrometheusText((await metrics.text()).body);
}

const usage = (promptTokens: number, completionTokens: number) =>
  create(UsageSchema, { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens });

describe("GatewayMetrics", () => {
  it("exports the Prometheus text format with every family typed and described", async () => {
    const metrics = new GatewayMetrics();
    const text = await metrics.text();
    expect(text.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    const exposition = parsePrometheusText(text.body);
    expect(exposition.types.get(REQUESTS)).toBe("counter");
    expect(exposition.types.get(DURATION)).toBe("histogram");
    expect(exposition.types.get(FIRST_CHUNK)).toBe("histogram");
    expect(exposition.types.get(PROMPT)).toBe("counter");
    expect(exposition.types.get(COMPLETION)).toBe("counter");
    expect(exposition.types.get(IN_FLIGHT)).toBe("gauge");
    expect(exposition.types.get(UPSTREAM_ERRORS)).toBe("counter");
    for (const name of exposition.types.keys()) {
      expect(name.startsWith("open_bedrock_"), name).toBe(true);
      expect(exposition.help.get(name), name).toBeTruthy();
    }
  });

  it("types and describes the families of targets: attempts, retries, fallbacks, rests", async () => {
    const exposition = await scrape(new GatewayMetrics());
    for (const name of [ATTEMPTS, RETRIES, FALLBACKS, COOLDOWNS]) {
      expect(exposition.types.get(name), name).toBe("counter");
      expect(exposition.help.get(name), name).toBeTruthy();
    }
  });

  it("counts each target a call tried, each fallback, each retry in place and each rest", async () => {
    const metrics = new GatewayMetrics();
    const west = { provider: "bedrock-west", modelId: "amazon.nova-lite-v1:0" };
    const backup = { provider: "openai-backup", modelId: "gpt-4.1" };
    const call = metrics.observer.begin("openai_http", "chat");
    metrics.observer.retried("bedrock-west", new RateLimitError("slow"));
    call.routed(west.provider, west.modelId);
    call.attempted({ route: west, listed: true }, new RateLimitError("slow"));
    call.fellBack({ route: west, listed: true }, new RateLimitError("slow"));
    metrics.observer.cooledDown(west);
    call.routed(backup.provider, backup.modelId);
    call.attempted({ route: backup, listed: true });
    call.end(0.5);
    const exposition = await scrape(metrics);
    expect(samplesOf(exposition, ATTEMPTS)).toEqual([
      {
        name: ATTEMPTS,
        labels: { provider: "bedrock-west", model: "amazon.nova-lite-v1:0", outcome: "RateLimitError" },
        value: 1,
      },
      { name: ATTEMPTS, labels: { provider: "openai-backup", model: "gpt-4.1", outcome: "ok" }, value: 1 },
    ]);
    expect(samplesOf(exposition, FALLBACKS)).toEqual([
      {
        name: FALLBACKS,
        labels: { provider: "bedrock-west", model: "amazon.nova-lite-v1:0", error: "RateLimitError" },
        value: 1,
      },
    ]);
    expect(samplesOf(exposition, RETRIES)).toEqual([
      { name: RETRIES, labels: { provider: "bedrock-west", error: "RateLimitError" }, value: 1 },
    ]);
    expect(samplesOf(exposition, COOLDOWNS)).toEqual([
      { name: COOLDOWNS, labels: { provider: "bedrock-west", model: "amazon.nova-lite-v1:0" }, value: 1 },
    ]);
    expect(sampleSum(exposition, REQUESTS, { provider: "openai-backup", model: "gpt-4.1", outcome: "ok" })).toBe(1);
  });

  it("gives a caller's failing model of its own no label of its own: only models-file targets and answers get one", async () => {
    const metrics = new GatewayMetrics({ modelLabelsPerProvider: 10 });
    const typo = { provider: "openai", modelId: "gpt-4o-typo" };
    const call = metrics.observer.begin("grpc", "chat");
    call.routed(typo.provider, typo.modelId);
    call.attempted({ route: typo, listed: false }, new ModelNotFoundError("no such model"));
    call.end(0.01, new ModelNotFoundError("no such model"));
    const exposition = await scrape(metrics);
    expect(samplesOf(exposition, ATTEMPTS).map((sample) => sample.labels.model)).toEqual(["other"]);
  });

  it("includes Node's process metrics under the same prefix", async () => {
    const exposition = await scrape(new GatewayMetrics());
    expect(exposition.types.get("open_bedrock_process_cpu_user_seconds_total")).toBe("counter");
    expect(sampleSum(exposition, "open_bedrock_process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(exposition.types.get("open_bedrock_nodejs_heap_size_used_bytes")).toBe("gauge");
    expect(exposition.types.get("open_bedrock_nodejs_eventloop_lag_seconds")).toBe("gauge");
  });

  it("counts a unary call with its route, outcome, duration and tokens", async () => {
    const metrics = new GatewayMetrics();
    const call = metrics.observer.begin("openai_http", "chat");
    call.routed("openai", "gpt-4o-mini");
    call.usage(usage(12, 5));
    call.end(0.3);
    const exposition = await scrape(metrics);
    const labels = {
      protocol: "openai_http",
      operation: "chat",
      provider: "openai",
      model: "gpt-4o-mini",
      outcome: "ok",
    };
    expect(samplesOf(exposition, REQUESTS)).toEqual([{ name: REQUESTS, labels, value: 1 }]);
    expect(sampleSum(exposition, `${DURATION}_count`, labels)).toBe(1);
    expect(sampleSum(exposition, `${DURATION}_sum`, labels)).toBeCloseTo(0.3);
    expect(sampleSum(exposition, `${DURATION}_bucket`, { ...labels, le: "0.25" })).toBe(0);
    expect(sampleSum(exposition, `${DURATION}_bucket`, { ...labels, le: "0.5" })).toBe(1);
    expect(sampleSum(exposition, `${DURATION}_bucket`, { ...labels, le: "+Inf" })).toBe(1);
    expect(samplesOf(exposition, PROMPT)).toEqual([
      { name: PROMPT, labels: { provider: "openai", model: "gpt-4o-mini" }, value: 12 },
    ]);
    expect(sampleSum(exposition, COMPLETION, { provider: "openai", model: "gpt-4o-mini" })).toBe(5);
    expect(samplesOf(exposition, `${FIRST_CHUNK}_count`)).toEqual([]);
  });

  it("counts the prompt tokens read from and written to a cache, within the prompt tokens", async () => {
    const metrics = new GatewayMetrics();
    const labels = { provider: "bedrock", model: "anthropic.claude-sonnet-4-20250514-v1:0" };
    for (const details of [
      { cachedTokens: 0, cacheWriteTokens: 1400 },
      { cachedTokens: 1400, cacheWriteTokens: 0 },
      { cachedTokens: 0 },
    ]) {
      const call = metrics.observer.begin("openai_http", "chat");
      call.routed("bedrock", labels.model);
      call.usage(
        create(UsageSchema, {
          promptTokens: 1500,
          completionTokens: 9,
          totalTokens: 1509,
          promptTokensDetails: details,
        }),
      );
      call.end(0.1);
    }
    const exposition = await scrape(metrics);
    expect(exposition.types.get(CACHE_READ)).toBe("counter");
    expect(exposition.types.get(CACHE_WRITE)).toBe("counter");
    expect(sampleSum(exposition, CACHE_READ, labels)).toBe(1400);
    expect(sampleSum(exposition, CACHE_WRITE, labels)).toBe(1400);
    expect(sampleSum(exposition, PROMPT, labels)).toBe(4500);
  });

  it("times a stream's first chunk and counts its tokens", async () => {
    const metrics = new GatewayMetrics();
    const call = metrics.observer.begin("grpc", "chat_stream");
    call.routed("bedrock", "anthropic.claude-3-haiku-20240307-v1:0");
    call.firstChunk(0.04);
    call.usage(usage(20, 7));
    call.end(2);
    const exposition = await scrape(metrics);
    const model = "anthropic.claude-3-haiku-20240307-v1:0";
    const route = { protocol: "grpc", provider: "bedrock", model };
    expect(sampleSum(exposition, `${FIRST_CHUNK}_count`, route)).toBe(1);
    expect(sampleSum(exposition, `${FIRST_CHUNK}_bucket`, { ...route, le: "0.025" })).toBe(0);
    expect(sampleSum(exposition, `${FIRST_CHUNK}_bucket`, { ...route, le: "0.05" })).toBe(1);
    expect(sampleSum(exposition, REQUESTS, { ...route, operation: "chat_stream", outcome: "ok" })).toBe(1);
    expect(sampleSum(exposition, `${DURATION}_bucket`, { ...route, le: "1" })).toBe(0);
    expect(sampleSum(exposition, `${DURATION}_bucket`, { ...route, le: "2.5" })).toBe(1);
    expect(sampleSum(exposition, PROMPT, { provider: "bedrock", model })).toBe(20);
    expect(sampleSum(exposition, COMPLETION, { provider: "bedrock", model })).toBe(7);
  });

  it("labels a failure with its error class, and one before routing with provider and model none", async () => {
    const metrics = new GatewayMetrics();
    const invalid = metrics.observer.begin("connect", "chat");
    invalid.end(0.001, new InvalidRequestError("bad"));
    const unconfigured = metrics.observer.begin("grpc_web", "chat");
    unconfigured.routed("bedrock", "amazon.nova-pro-v1:0");
    unconfigured.end(0.001, new ConfigurationError("off"));
    const exposition = await scrape(metrics);
    expect(samplesOf(exposition, REQUESTS).map((sample) => sample.labels)).toEqual([
      { protocol: "grpc_web", operation: "chat", provider: "bedrock", model: "other", outcome: "ConfigurationError" },
      { protocol: "connect", operation: "chat", provider: "none", model: "none", outcome: "InvalidRequestError" },
    ]);
    expect(samplesOf(exposition, UPSTREAM_ERRORS)).toEqual([]);
  });

  it("counts upstream errors by provider and class", async () => {
    const metrics = new GatewayMetrics();
    metrics.observer.upstreamFailed("openai", new RateLimitError("slow down"));
    metrics.observer.upstreamFailed("openai", new RateLimitError("slow down"));
    metrics.observer.upstreamFailed("bedrock", new TimeoutError("late"));
    const exposition = await scrape(metrics);
    expect(sampleSum(exposition, UPSTREAM_ERRORS, { provider: "openai", error: "RateLimitError" })).toBe(2);
    expect(sampleSum(exposition, UPSTREAM_ERRORS, { provider: "bedrock", error: "TimeoutError" })).toBe(1);
    expect(samplesOf(exposition, UPSTREAM_ERRORS)).toHaveLength(2);
  });

  it("gauges the calls running now, by protocol and operation", async () => {
    const metrics = new GatewayMetrics();
    const first = metrics.observer.begin("openai_http", "chat_stream");
    const second = metrics.observer.begin("openai_http", "chat_stream");
    metrics.observer.begin("grpc", "chat").end(0.1);
    const running = await scrape(metrics);
    expect(sampleSum(running, IN_FLIGHT, { protocol: "openai_http", operation: "chat_stream" })).toBe(2);
    expect(sampleSum(running, IN_FLIGHT, { protocol: "grpc", operation: "chat" })).toBe(0);
    expect(samplesOf(running, IN_FLIGHT)).toHaveLength(TRANSPORT_PROTOCOLS.length * CHAT_OPERATIONS.length);
    first.end(1, new CanceledError("gone"));
    second.end(1);
    expect(sampleSum(await scrape(metrics), IN_FLIGHT)).toBe(0);
  });

  it("keeps a stream's model label from its first chunk when it fails later", async () => {
    const metrics = new GatewayMetrics({ modelLabelsPerProvider: 1 });
    const call = metrics.observer.begin("openai_http", "chat_stream");
    call.routed("openai", "gpt-4o");
    call.firstChunk(0.1);
    call.end(0.5, new UpstreamError("broke"));
    const exposition = await scrape(metrics);
    expect(sampleSum(exposition, REQUESTS, { model: "gpt-4o", outcome: "UpstreamError" })).toBe(1);
  });

  it("folds models beyond the cap, and models that never answered, into other", async () => {
    const metrics = new GatewayMetrics({ modelLabelsPerProvider: 2 });
    const succeed = (provider: ProviderName, model: string) => {
      const call = metrics.observer.begin("openai_http", "chat");
      call.routed(provider, model);
      call.usage(usage(1, 1));
      call.end(0.1);
    };
    const fail = (model: string) => {
      const call = metrics.observer.begin("openai_http", "chat");
      call.routed("openai", model);
      call.end(0.1, new ModelNotFoundError("no such model"));
    };
    fail("gpt-4o-typo");
    succeed("openai", "gpt-4o");
    succeed("openai", "gpt-4o-mini");
    succeed("openai", "o3");
    succeed("bedrock", "amazon.nova-pro-v1:0");
    fail("gpt-4o");
    const exposition = await scrape(metrics);
    const models = (provider: string) =>
      new Set(samplesOf(exposition, REQUESTS, { provider }).map((sample) => sample.labels.model));
    expect(models("openai")).toEqual(new Set(["gpt-4o", "gpt-4o-mini", "other"]));
    expect(models("bedrock")).toEqual(new Set(["amazon.nova-pro-v1:0"]));
    expect(sampleSum(exposition, REQUESTS, { model: "other", outcome: "ModelNotFoundError" })).toBe(1);
    expect(sampleSum(exposition, REQUESTS, { model: "gpt-4o", outcome: "ModelNotFoundError" })).toBe(1);
    expect(sampleSum(exposition, PROMPT, { provider: "openai", model: "other" })).toBe(1);
  });

  it("escapes model ids that need it, so they read back unchanged", async () => {
    const metrics = new GatewayMetrics();
    const model = 'my "model"\\v2\nnext';
    const call = metrics.observer.begin("openai_http", "chat");
    call.routed("openai", model);
    call.end(0.1);
    const exposition = await scrape(metrics);
    expect(samplesOf(exposition, REQUESTS)[0]?.labels.model).toBe(model);
    expect(samplesOf(exposition, `${DURATION}_count`)[0]?.labels.model).toBe(model);
  });

  it("keeps the counts of each instance apart", async () => {
    const one = new GatewayMetrics();
    const two = new GatewayMetrics();
    one.observer.begin("grpc", "models").end(0.01);
    expect(sampleSum(await scrape(one), REQUESTS)).toBe(1);
    expect(sampleSum(await scrape(two), REQUESTS)).toBe(0);
  });

  it("counts every call once, under the labels it ended with, whatever the mix", async () => {
    const outcomes: (GatewayError | undefined)[] = [
      undefined,
      new InvalidRequestError("bad"),
      new RateLimitError("slow"),
      new CanceledError("gone"),
    ];
    const callArbitrary = fc.record({
      protocol: fc.constantFrom(...TRANSPORT_PROTOCOLS),
      operation: fc.constantFrom(...CHAT_OPERATIONS),
      route: fc.option(fc.tuple(fc.constantFrom(...PROVIDER_NAMES), fc.constantFrom("m1", "m2", "m3"))),
      outcome: fc.nat(outcomes.length - 1),
      prompt: fc.nat(1000),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(callArbitrary, { maxLength: 40 }), async (calls) => {
        const metrics = new GatewayMetrics();
        const expected = new Map<string, number>();
        let prompt = 0;
        for (const { protocol, operation, route, outcome, prompt: tokens } of calls) {
          const error = outcomes[outcome];
          const call = metrics.observer.begin(protocol as TransportProtocol, operation as ChatOperation);
          if (route) {
            call.routed(route[0], route[1]);
            if (error === undefined) {
              call.usage(usage(tokens, 1));
              prompt += tokens;
            }
          }
          call.end(0.2, error);
          const key = `${protocol} ${operation} ${route?.[0] ?? "none"} ${error?.name ?? "ok"}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        const exposition = await scrape(metrics);
        const counted = new Map<string, number>();
        for (const { labels, value } of samplesOf(exposition, REQUESTS)) {
          const key = `${labels.protocol} ${labels.operation} ${labels.provider} ${labels.outcome}`;
          counted.set(key, (counted.get(key) ?? 0) + value);
        }
        expect(counted).toEqual(expected);
        expect(sampleSum(exposition, `${DURATION}_count`)).toBe(calls.length);
        expect(sampleSum(exposition, PROMPT)).toBe(prompt);
        expect(sampleSum(exposition, IN_FLIGHT)).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
});
