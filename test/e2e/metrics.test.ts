import Anthropic from "@anthropic-ai/sdk";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatService } from "../../gen/openbedrock/v1/chat_pb.js";
import { type BedrockStack, startBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway, useOpenAIGateway } from "../helpers/gateway.js";
import { createGrpcChatClient, type GrpcChatClient } from "../helpers/grpc-client.js";
import { type Exposition, parsePrometheusText, sampleSum, samplesOf } from "../helpers/prometheus-text.js";

const REQUESTS = "open_bedrock_requests_total";
const DURATION_COUNT = "open_bedrock_request_duration_seconds_count";
const FIRST_CHUNK_COUNT = "open_bedrock_stream_first_chunk_seconds_count";
const PROMPT = "open_bedrock_prompt_tokens_total";
const COMPLETION = "open_bedrock_completion_tokens_total";
const IN_FLIGHT = "open_bedrock_in_flight_requests";
const UPSTREAM_ERRORS = "open_bedrock_upstream_errors_total";
const MODEL = "gpt-4o-mini";

function metricsUrl(gateway: TestGateway): string {
  return `${gateway.url}/metrics`;
}

async function scrape(gateway: TestGateway): Promise<Exposition> {
  const response = await fetch(metricsUrl(gateway), { headers: { authorization: `Bearer ${gateway.key}` } });
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

/** Runs `act` and answers how much a metric's matching samples grew meanwhile. */
async function growth(gateway: TestGateway, act: () => Promise<unknown>) {
  const before = await scrape(gateway);
  await act();
  const after = await scrape(gateway);
  return (name: string, labels: Record<string, string> = {}) =>
    sampleSum(after, name, labels) - sampleSum(before, name, labels);
}

/** Scrapes until `done` holds for the exposition; fails after a generous bound instead of hanging. */
async function scrapeUntil(gateway: TestGateway, done: (exposition: Exposition) => boolean): Promise<Exposition> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const exposition = await scrape(gateway);
    if (done(exposition)) return exposition;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the metrics never reached the expected state");
}

describe("GET /metrics in front of OpenAI", () => {
  const setup = useOpenAIGateway();
  const openai = () => new OpenAI({ apiKey: setup.gateway.key, baseURL: `${setup.gateway.url}/v1`, maxRetries: 0 });
  let grpc: GrpcChatClient;
  beforeAll(() => {
    grpc = createGrpcChatClient(setup.gateway.url, setup.gateway.key);
  });
  afterAll(() => grpc?.close());

  it("needs a client key, like the /v1 routes", async () => {
    const missing = await fetch(metricsUrl(setup.gateway));
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: "missing_api_key" } });
    const wrong = await fetch(metricsUrl(setup.gateway), { headers: { authorization: "Bearer not-the-key" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "invalid_api_key" } });
    const posted = await fetch(metricsUrl(setup.gateway), {
      method: "POST",
      headers: { authorization: `Bearer ${setup.gateway.key}` },
    });
    expect(posted.status).toBe(405);
  });

  it("answers the Prometheus text format, with Node's process metrics", async () => {
    const response = await fetch(metricsUrl(setup.gateway), {
      headers: { authorization: `Bearer ${setup.gateway.key}` },
    });
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const exposition = parsePrometheusText(await response.text());
    expect(exposition.types.get(REQUESTS)).toBe("counter");
    expect(sampleSum(exposition, "open_bedrock_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts an HTTP unary call with the tokens OpenAI reported", async () => {
    let usage: OpenAI.CompletionUsage | undefined;
    const grew = await growth(setup.gateway, async () => {
      const answer = await openai().chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "count my tokens please" }],
      });
      usage = answer.usage;
    });
    const labels = { protocol: "openai_http", operation: "chat", provider: "openai", model: MODEL, outcome: "ok" };
    expect(grew(REQUESTS, labels)).toBe(1);
    expect(grew(REQUESTS)).toBe(1);
    expect(grew(DURATION_COUNT, labels)).toBe(1);
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(grew(PROMPT, { provider: "openai", model: MODEL })).toBe(usage?.prompt_tokens);
    expect(grew(COMPLETION, { provider: "openai", model: MODEL })).toBe(usage?.completion_tokens);
  });

  it("counts HTTP streams and their tokens, also when the caller did not ask for usage", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "stream to me twice" }];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let usageWithoutAsking: OpenAI.CompletionUsage | null | undefined;
    const grew = await growth(setup.gateway, async () => {
      const asked = await openai().chat.completions.create({
        model: MODEL,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of asked) usage = chunk.usage ?? usage;
      const unasked = await openai().chat.completions.create({ model: MODEL, messages, stream: true });
      for await (const chunk of unasked) usageWithoutAsking = chunk.usage ?? usageWithoutAsking;
    });
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(usageWithoutAsking).toBeUndefined();
    const route = { protocol: "openai_http", provider: "openai", model: MODEL };
    expect(grew(REQUESTS, { ...route, operation: "chat_stream", outcome: "ok" })).toBe(2);
    expect(grew(FIRST_CHUNK_COUNT, route)).toBe(2);
    expect(grew(PROMPT, { provider: "openai", model: MODEL })).toBe(2 * (usage?.prompt_tokens ?? 0));
    expect(grew(COMPLETION, { provider: "openai", model: MODEL })).toBe(2 * (usage?.completion_tokens ?? 0));
  });

  it("counts gRPC calls under protocol grpc", async () => {
    let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
    const grew = await growth(setup.gateway, async () => {
      const answer = await grpc.create({ model: MODEL, messages: [{ role: "user", content: "hello over grpc" }] });
      usage = answer.usage;
      await grpc.collect({ model: MODEL, messages: [{ role: "user", content: "stream over grpc" }] });
      await grpc.listModels();
    });
    const route = { protocol: "grpc", provider: "openai", model: MODEL };
    expect(grew(REQUESTS, { ...route, operation: "chat", outcome: "ok" })).toBe(1);
    expect(grew(REQUESTS, { ...route, operation: "chat_stream", outcome: "ok" })).toBe(1);
    expect(grew(FIRST_CHUNK_COUNT, route)).toBe(1);
    expect(
      grew(REQUESTS, { protocol: "grpc", operation: "models", provider: "none", model: "none", outcome: "ok" }),
    ).toBe(1);
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(grew(PROMPT, { provider: "openai", model: MODEL })).toBeGreaterThan(usage?.prompt_tokens ?? 0);
  });

  it("tells gRPC-Web and Connect apart, and counts the HTTP model listing", async () => {
    const headers = { authorization: `Bearer ${setup.gateway.key}` };
    const request = { model: MODEL, messages: [{ role: "user", content: "which protocol" }] };
    const grew = await growth(setup.gateway, async () => {
      const baseUrl = setup.gateway.url;
      await createClient(ChatService, createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })).createChatCompletion(
        request,
        { headers },
      );
      await createClient(ChatService, createConnectTransport({ baseUrl, httpVersion: "1.1" })).createChatCompletion(
        request,
        { headers },
      );
      await openai().models.list();
    });
    expect(grew(REQUESTS, { protocol: "grpc_web", operation: "chat", outcome: "ok" })).toBe(1);
    expect(grew(REQUESTS, { protocol: "connect", operation: "chat", outcome: "ok" })).toBe(1);
    expect(grew(REQUESTS, { protocol: "openai_http", operation: "models", provider: "none", outcome: "ok" })).toBe(1);
  });

  it("labels failures with their error class, and counts upstream errors by provider", async () => {
    setup.upstream.enqueue(
      {
        kind: "error",
        status: 429,
        body: { error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } },
      },
      { kind: "midstream-error", afterChunks: 2, error: { error: { message: "overloaded", type: "server_error" } } },
    );
    const grew = await growth(setup.gateway, async () => {
      await expect(
        openai().chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "too many" }] }),
      ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      const stream = await openai().chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: "break midway" }],
        stream: true,
      });
      await expect(
        (async () => {
          for await (const _chunk of stream);
        })(),
      ).rejects.toBeInstanceOf(OpenAI.APIError);
      const invalid = await grpc.create({ model: MODEL, messages: [] }).catch((error: { code: number }) => error);
      expect(invalid.code).toBe(Code.InvalidArgument);
      const unconfigured = await grpc
        .create({ model: "anthropic.claude-3-haiku-20240307-v1:0", messages: [{ role: "user", content: "hi" }] })
        .catch((error: { code: number }) => error);
      expect(unconfigured.code).toBe(Code.FailedPrecondition);
    });
    const http = { protocol: "openai_http", provider: "openai", model: MODEL };
    expect(grew(REQUESTS, { ...http, operation: "chat", outcome: "RateLimitError" })).toBe(1);
    expect(grew(REQUESTS, { ...http, operation: "chat_stream", outcome: "UpstreamError" })).toBe(1);
    expect(grew(REQUESTS, { protocol: "grpc", provider: "none", model: "none", outcome: "InvalidRequestError" })).toBe(
      1,
    );
    expect(grew(REQUESTS, { protocol: "grpc", provider: "bedrock", outcome: "ConfigurationError" })).toBe(1);
    expect(grew(REQUESTS, { outcome: "ok" })).toBe(0);
    expect(grew(UPSTREAM_ERRORS, { provider: "openai", error: "RateLimitError" })).toBe(1);
    expect(grew(UPSTREAM_ERRORS, { provider: "openai", error: "UpstreamError" })).toBe(1);
    expect(grew(UPSTREAM_ERRORS)).toBe(2);
  });

  it("gauges an open stream while it runs, and counts it as cancelled when the client leaves", async () => {
    setup.upstream.enqueue({ kind: "hang" });
    const streams = { protocol: "openai_http", operation: "chat_stream" };
    const before = await scrape(setup.gateway);
    const client = new AbortController();
    const pending = fetch(`${setup.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${setup.gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: "user", content: "wait for it" }] }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await setup.upstream.nextChatRequest();
    expect(sampleSum(await scrape(setup.gateway), IN_FLIGHT, streams)).toBe(1);
    client.abort();
    await pending;
    const after = await scrapeUntil(setup.gateway, (exposition) => sampleSum(exposition, IN_FLIGHT, streams) === 0);
    const cancelled = { ...streams, provider: "openai", model: MODEL, outcome: "CanceledError" };
    expect(sampleSum(after, REQUESTS, cancelled) - sampleSum(before, REQUESTS, cancelled)).toBe(1);
    expect(sampleSum(after, UPSTREAM_ERRORS) - sampleSum(before, UPSTREAM_ERRORS)).toBe(0);
  });

  it("never puts a key or a message into a label", async () => {
    const exposition = await scrape(setup.gateway);
    const text = JSON.stringify(exposition.samples);
    expect(text).not.toContain(setup.gateway.key);
    expect(text).not.toContain("count my tokens please");
    for (const sample of samplesOf(exposition, REQUESTS)) {
      expect(Object.keys(sample.labels).sort()).toEqual(["model", "operation", "outcome", "protocol", "provider"]);
    }
  });
});

describe("GET /metrics in front of Bedrock", () => {
  const CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
  let stack: BedrockStack;
  beforeAll(async () => {
    stack = await startBedrockStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("counts Claude calls under provider bedrock and the model id, with Bedrock's token counts", async () => {
    let usage: OpenAI.CompletionUsage | undefined;
    const grew = await growth(stack.gateway, async () => {
      usage = (
        await stack.openai.chat.completions.create({ model: CLAUDE, messages: [{ role: "user", content: "hello" }] })
      ).usage;
      await stack.grpc.collect({ model: `bedrock/${CLAUDE}`, messages: [{ role: "user", content: "hello" }] });
    });
    const route = { provider: "bedrock", model: CLAUDE };
    expect(grew(REQUESTS, { ...route, protocol: "openai_http", operation: "chat", outcome: "ok" })).toBe(1);
    expect(grew(REQUESTS, { ...route, protocol: "grpc", operation: "chat_stream", outcome: "ok" })).toBe(1);
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    // The same prompt and answer twice: once unary, once streamed.
    expect(grew(PROMPT, route)).toBe(2 * (usage?.prompt_tokens ?? 0));
    expect(grew(COMPLETION, route)).toBe(2 * (usage?.completion_tokens ?? 0));
  });

  it("counts /v1/messages calls as anthropic_http, with the usage Claude reported, streamed or not", async () => {
    const anthropic = new Anthropic({ apiKey: stack.gateway.key, baseURL: stack.gateway.url, maxRetries: 0 });
    const body = { model: CLAUDE, max_tokens: 32, messages: [{ role: "user" as const, content: "hello" }] };
    let answer: Anthropic.Message | undefined;
    const grew = await growth(stack.gateway, async () => {
      answer = await anthropic.messages.create(body);
      await anthropic.messages.stream(body).finalMessage();
      await anthropic.messages.countTokens({ model: CLAUDE, messages: body.messages });
    });
    const route = { provider: "bedrock", model: CLAUDE, protocol: "anthropic_http", outcome: "ok" };
    expect(grew(REQUESTS, { ...route, operation: "chat" })).toBe(1);
    expect(grew(REQUESTS, { ...route, operation: "chat_stream" })).toBe(1);
    expect(grew(REQUESTS, { ...route, operation: "count_tokens" })).toBe(1);
    expect(grew(FIRST_CHUNK_COUNT, { protocol: "anthropic_http" })).toBe(1);
    expect(grew(PROMPT, { provider: "bedrock", model: CLAUDE })).toBe(2 * (answer?.usage.input_tokens ?? 0));
    expect(grew(COMPLETION, { provider: "bedrock", model: CLAUDE })).toBe(2 * (answer?.usage.output_tokens ?? 0));
  });
});

describe("METRICS_ENABLED=false", () => {
  let upstream: FakeOpenAI;
  let gateway: TestGateway;
  beforeAll(async () => {
    upstream = new FakeOpenAI();
    await upstream.start();
    gateway = await startGateway({ openaiBaseURL: upstream.baseURL, config: { metricsEnabled: false } });
  });
  afterAll(async () => {
    await gateway?.close(100);
    await upstream?.close();
  });

  it("has no /metrics route, with or without a key, and serves chat as before", async () => {
    const withKey = await fetch(metricsUrl(gateway), { headers: { authorization: `Bearer ${gateway.key}` } });
    expect(withKey.status).toBe(404);
    expect(await withKey.json()).toMatchObject({ error: { code: "unknown_url" } });
    expect((await fetch(metricsUrl(gateway))).status).toBe(404);
    const client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] });
    expect(answer.choices[0]?.message.content).toBe("You said: hi");
  });
});
