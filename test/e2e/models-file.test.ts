/**
 * The models file end to end: the real server with several upstreams at
 * once (two OpenAI-compatible fakes with their own keys, two fake Bedrock
 * regions with their own credentials, a closed port), real clients (the
 * openai SDK, grpc-js), and the models file read from disk as the server
 * reads it. Fallback for each reason, none on 400 or after a stream's first
 * chunk, retries in place, cooldown and recovery, the target named in the
 * answer, the named providers' credentials on the wire, the listing; and
 * the same for an embedding model.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Anthropic from "@anthropic-ai/sdk";
import type * as grpc from "@grpc/grpc-js";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppConfig } from "../../src/config/load-config.js";
import type { ModelsFile } from "../../src/config/models-file.js";
import { readModelsFile } from "../../src/config/read-models-file.js";
import { ROLE_SESSION_NAME } from "../../src/providers/bedrock/aws/aws-credentials.js";
import { FAKE_AWS_CREDENTIALS, FakeBedrock, fakeBedrockConfig } from "../fakes/fake-bedrock.js";
import { FakeBedrockControl } from "../fakes/fake-bedrock-control.js";
import type { AwsTestCredentials } from "../fakes/fake-bedrock-sigv4.js";
import { rejection } from "../fakes/fake-bedrock-stack.js";
import { FAKE_TEMPORARY_CREDENTIALS, FakeSts } from "../fakes/fake-bedrock-sts.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient, type GrpcChatClient } from "../helpers/grpc-client.js";
import { createGrpcEmbeddingClient, type GrpcEmbeddingClient } from "../helpers/grpc-embedding-client.js";
import { parsePrometheusText, sampleSum } from "../helpers/prometheus-text.js";

const EAST_REGION = "us-east-1";
const WEST_REGION = "us-west-2";
const WEST_CREDENTIALS: AwsTestCredentials = {
  accessKeyId: "AKIAFAKEWESTACCOUNT01",
  secretAccessKey: "fakeWestSecret/For+Tests/0123456789abcdefg",
};
const BACKUP_KEY = "sk-fake-backup-account-0123456789";
const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const TITAN_EMBED = "amazon.titan-embed-text-v2:0";
const TARGET = "x-open-bedrock-target";

/** A local port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

interface Upstreams {
  /** The environment's OpenAI. */
  openai: FakeOpenAI;
  /** A second OpenAI-compatible account, with a key of its own. */
  backup: FakeOpenAI;
  /** The environment's Bedrock, in us-east-1. */
  east: FakeBedrock;
  /** A named Bedrock provider's account, in us-west-2, which takes only its own keys. */
  west: FakeBedrock;
  eastControl: FakeBedrockControl;
  westControl: FakeBedrockControl;
  deadPort: number;
  dir: string;
}

const up = {} as Upstreams;

beforeAll(async () => {
  Object.assign(up, {
    openai: new FakeOpenAI(),
    backup: new FakeOpenAI(BACKUP_KEY),
    east: new FakeBedrock(EAST_REGION),
    west: new FakeBedrock(WEST_REGION),
    eastControl: new FakeBedrockControl(EAST_REGION, FAKE_AWS_CREDENTIALS),
    westControl: new FakeBedrockControl(WEST_REGION, WEST_CREDENTIALS),
    deadPort: await closedPort(),
    dir: mkdtempSync(join(tmpdir(), "open-bedrock-models-file-e2e-")),
  });
  up.west.credentials.clear();
  up.west.credentials.set(WEST_CREDENTIALS.accessKeyId, WEST_CREDENTIALS);
  await Promise.all([
    up.openai.start(),
    up.backup.start(),
    up.east.start(),
    up.west.start(),
    up.eastControl.start(),
    up.westControl.start(),
  ]);
});

afterAll(async () => {
  await Promise.all(
    [up.openai, up.backup, up.east, up.west, up.eastControl, up.westControl].map((fake) => fake?.close()),
  );
  if (up.dir) rmSync(up.dir, { recursive: true, force: true });
});

beforeEach(() => {
  for (const fake of [up.openai, up.backup, up.east, up.west]) fake.reset();
});

/** The models file of these tests, written to disk and read as the server reads it. */
function modelsFile(extra = ""): ModelsFile {
  const path = join(up.dir, `models-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `providers:
  bedrock-west:
    type: bedrock
    region: ${WEST_REGION}
    endpoint_url: ${up.west.url}
    control_endpoint_url: ${up.westControl.url}
    access_key_id: ${WEST_CREDENTIALS.accessKeyId}
    secret_access_key: \${WEST_SECRET}
  openai-backup:
    type: openai
    base_url: ${up.backup.baseURL}
    api_key: \${BACKUP_KEY}
  dead:
    type: openai
    base_url: http://127.0.0.1:${up.deadPort}/v1
    api_key: sk-dead-account-0123456789
  keyless:
    type: openai
    base_url: https://example.invalid/v1
    api_key: \${KEY_NOBODY_SET}
${extra}models:
  smart:
    targets:
      - bedrock/${HAIKU}
      - bedrock-west/${HAIKU}
      - openai-backup/gpt-4o
  via-closed-port:
    targets: [dead/gpt-4o, openai/gpt-4o-mini]
  via-unconfigured:
    targets: [keyless/gpt-4o, openai/gpt-4o-mini]
  resting:
    targets: [bedrock/amazon.nova-lite-v1:0, openai/gpt-4o-mini]
  patient:
    targets: [openai/gpt-4o, openai-backup/gpt-4o]
  vectors:
    targets:
      - bedrock/${TITAN_EMBED}
      - bedrock-west/${TITAN_EMBED}
      - openai-backup/text-embedding-3-small
`,
  );
  const env: Record<string, string> = { WEST_SECRET: WEST_CREDENTIALS.secretAccessKey, BACKUP_KEY };
  return readModelsFile(path, (name) => env[name]);
}

interface Stack {
  gateway: TestGateway;
  openai: OpenAI;
  grpc: GrpcChatClient;
}

/** The server in front of the upstreams above, with the models file and these settings. */
function useGateway(config: () => Partial<AppConfig>): Stack {
  const stack = {} as Stack;
  beforeAll(async () => {
    stack.gateway = await startGateway({
      openaiBaseURL: up.openai.baseURL,
      config: {
        bedrock: fakeBedrockConfig(up.east.url, { region: EAST_REGION, controlEndpoint: up.eastControl.url }),
        modelsFile: modelsFile(),
        ...config(),
      },
    });
    stack.openai = new OpenAI({ apiKey: stack.gateway.key, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    stack.grpc = createGrpcChatClient(stack.gateway.url, stack.gateway.key);
  });
  afterAll(async () => {
    stack.grpc?.close();
    await stack.gateway?.close(100);
  });
  return stack;
}

const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "hello" }] });

/** The region and key id a SigV4 request was signed for. */
function signedScope(authorization: string | string[] | undefined): { keyId: string; region: string } {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/bedrock\/aws4_request/.exec(String(authorization));
  return { keyId: match?.[1] ?? "", region: match?.[2] ?? "" };
}

/** A Bedrock stream that answers 200, then throttles after `afterFrames` frames. */
const throttledStream = (afterFrames: number) =>
  ({
    kind: "stream-exception",
    afterFrames,
    exceptionType: "throttlingException",
    body: { message: "Slow down." },
  }) as const;

/** The server's metrics, scraped as Prometheus does. */
async function scrape(gateway: TestGateway) {
  const answer = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${gateway.key}` } });
  return parsePrometheusText(await answer.text());
}

const throttled = {
  kind: "error",
  status: 429,
  errorType: "ThrottlingException",
  message: "Too many requests.",
} as const;

describe("a models-file model over the OpenAI API", () => {
  // Every failure here is scripted: no target rests (the cooldown has tests of its own below).
  const stack = useGateway(() => ({ upstreamRetries: 0, cooldown: { failures: 0, seconds: 30 } }));

  it("answers from its first target and names it in x-open-bedrock-target", async () => {
    const { data, response } = await stack.openai.chat.completions.create(ask("smart")).withResponse();
    expect(data.choices[0]?.message.content).toBe("You said: hello");
    expect(response.headers.get(TARGET)).toBe(`bedrock/${HAIKU}`);
    expect(up.east.requests).toHaveLength(1);
    expect(up.west.requests).toHaveLength(0);
  });

  it.each([
    ["throttled (429)", throttled],
    ["failing (500)", { kind: "error", status: 500, errorType: "InternalServerException", message: "Oops." }],
    [
      "unavailable (503)",
      { kind: "error", status: 503, errorType: "ServiceUnavailableException", message: "Try later." },
    ],
    ["cut off before answering", { kind: "cut" }],
  ] as const)("moves to the next region when the first is %s", async (_why, behavior) => {
    up.east.enqueue(behavior);
    const { data, response } = await stack.openai.chat.completions.create(ask("smart")).withResponse();
    expect(data.choices[0]?.message.content).toBe("You said: hello");
    expect(response.headers.get(TARGET)).toBe(`bedrock-west/${HAIKU}`);
    expect(up.east.requests).toHaveLength(1);
    expect(up.west.requests).toHaveLength(1);
  });

  it("signs each region's request with its own account's keys, scoped to its own region", async () => {
    up.east.enqueue(throttled);
    await stack.openai.chat.completions.create(ask("smart"));
    expect(signedScope(up.east.last().headers.authorization)).toEqual({
      keyId: FAKE_AWS_CREDENTIALS.accessKeyId,
      region: EAST_REGION,
    });
    expect(signedScope(up.west.last().headers.authorization)).toEqual({
      keyId: WEST_CREDENTIALS.accessKeyId,
      region: WEST_REGION,
    });
  });

  it("reaches the OpenAI backup with its own key when both regions fail", async () => {
    up.east.enqueue(throttled);
    up.west.enqueue(throttled);
    const { data, response } = await stack.openai.chat.completions.create(ask("smart")).withResponse();
    expect(data.choices[0]?.message.content).toBe("You said: hello");
    expect(response.headers.get(TARGET)).toBe("openai-backup/gpt-4o");
    expect(up.backup.lastChatBody()).toMatchObject({ model: "gpt-4o" });
    expect(up.backup.chatRequests[0]?.headers.authorization).toBe(`Bearer ${BACKUP_KEY}`);
    expect(up.openai.chatRequests).toHaveLength(0);
  });

  it("answers the last target's failure, naming it, when every target fails", async () => {
    up.east.enqueue(throttled);
    up.west.enqueue(throttled);
    up.backup.enqueue({
      kind: "error",
      status: 503,
      body: { error: { message: "Overloaded.", type: "server_error" } },
    });
    const failed = await rejection<InstanceType<typeof OpenAI.APIError>>(
      stack.openai.chat.completions.create(ask("smart")),
    );
    expect(failed.status).toBe(503);
    expect(failed.headers?.get(TARGET)).toBe("openai-backup/gpt-4o");
  });

  it("moves on from a provider on a closed port", async () => {
    const { data, response } = await stack.openai.chat.completions.create(ask("via-closed-port")).withResponse();
    expect(data.choices[0]?.message.content).toBe("You said: hello");
    expect(response.headers.get(TARGET)).toBe("openai/gpt-4o-mini");
  });

  it("moves on from a provider that is not configured, without asking anything of it", async () => {
    const { response } = await stack.openai.chat.completions.create(ask("via-unconfigured")).withResponse();
    expect(response.headers.get(TARGET)).toBe("openai/gpt-4o-mini");
    expect(up.openai.chatRequests).toHaveLength(1);
  });

  it("does not move on after the caller's own fault (400): the caller gets it", async () => {
    up.east.enqueue({ kind: "error", status: 400, errorType: "ValidationException", message: "Malformed input." });
    const failed = await rejection<InstanceType<typeof OpenAI.APIError>>(
      stack.openai.chat.completions.create(ask("smart")),
    );
    expect(failed.status).toBe(400);
    expect(failed.headers?.get(TARGET)).toBe(`bedrock/${HAIKU}`);
    expect(up.west.requests).toHaveLength(0);
    expect(up.backup.chatRequests).toHaveLength(0);
  });

  it("streams from the next region when the first fails before its first chunk, the header set before the first byte", async () => {
    up.east.enqueue(throttledStream(0));
    const { data, response } = await stack.openai.chat.completions
      .create({ ...ask("smart"), stream: true })
      .withResponse();
    expect(response.headers.get(TARGET)).toBe(`bedrock-west/${HAIKU}`);
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("You said: hello");
    expect(up.east.requests).toHaveLength(1);
    expect(up.west.requests).toHaveLength(1);
  });

  it("never moves on once a stream's first chunk went out: the failure ends the stream", async () => {
    up.east.enqueue(throttledStream(3));
    const { data, response } = await stack.openai.chat.completions
      .create({ ...ask("smart"), stream: true })
      .withResponse();
    expect(response.headers.get(TARGET)).toBe(`bedrock/${HAIKU}`);
    const chunks: unknown[] = [];
    const failed = await rejection(
      (async () => {
        for await (const chunk of data) chunks.push(chunk);
      })(),
    );
    expect(chunks.length).toBeGreaterThan(0);
    expect(String(failed)).toContain("throttling");
    expect(up.west.requests).toHaveLength(0);
    expect(up.backup.chatRequests).toHaveLength(0);
  });

  it("logs each attempt, and counts attempts and fallbacks per target", async () => {
    up.east.enqueue(throttled);
    await stack.openai.chat.completions.create(ask("smart"), { headers: { "x-request-id": "req_models_file_log" } });
    const lines = stack.gateway.logs.filter((line) => line.requestId === "req_models_file_log");
    expect(
      lines.filter((line) => String(line.msg).startsWith("target ")).map((line) => [line.target, line.msg]),
    ).toEqual([
      [`bedrock/${HAIKU}`, "target failed: trying the next"],
      [`bedrock-west/${HAIKU}`, "target answered"],
    ]);
    expect(lines.find((line) => line.msg === "target failed: trying the next")).toMatchObject({
      alias: "smart",
      attempt: 1,
      error: "RateLimitError",
      status: 429,
    });
    const metrics = await scrape(stack.gateway);
    const east = { provider: "bedrock", model: HAIKU };
    expect(
      sampleSum(metrics, "open_bedrock_fallbacks_total", { ...east, error: "RateLimitError" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleSum(metrics, "open_bedrock_upstream_attempts_total", { ...east, outcome: "RateLimitError" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleSum(metrics, "open_bedrock_upstream_attempts_total", {
        provider: "bedrock-west",
        model: HAIKU,
        outcome: "ok",
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("lists the models file's names and every provider's models, each id once, each routing back", async () => {
    const ids = (await stack.openai.models.list()).data.map((model) => model.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const alias of ["smart", "via-closed-port", "via-unconfigured", "resting", "patient", "vectors"])
      expect(ids).toContain(alias);
    expect(ids).toContain(HAIKU);
    expect(ids).toContain(`bedrock-west/${HAIKU}`);
    expect(ids).toContain("gpt-4o-mini");
    expect(ids).toContain("openai-backup/gpt-4o-mini");
    expect(ids.some((id) => id.startsWith("keyless/") || id.startsWith("dead/"))).toBe(false);
    const { data, response } = await stack.openai.chat.completions.create(ask(`bedrock-west/${HAIKU}`)).withResponse();
    expect(data.choices[0]?.message.content).toBe("You said: hello");
    expect(response.headers.get(TARGET)).toBe(`bedrock-west/${HAIKU}`);
  });

  it("says in /health which providers are configured, the named ones too", async () => {
    const health = (await (await fetch(`${stack.gateway.url}/health`)).json()) as {
      providers: Record<string, boolean>;
    };
    expect(health.providers).toEqual({
      openai: true,
      bedrock: true,
      "bedrock-west": true,
      "openai-backup": true,
      dead: true,
      keyless: false,
    });
  });
});

describe("a models-file model over gRPC", () => {
  // Every failure here is scripted: no target rests (the cooldown has tests of its own below).
  const stack = useGateway(() => ({ upstreamRetries: 0, cooldown: { failures: 0, seconds: 30 } }));

  it("answers, and names the target in the response metadata", async () => {
    up.east.enqueue(throttled);
    let metadata: grpc.Metadata | undefined;
    const answer = await stack.grpc.create(ask("smart"), { onMetadata: (received) => (metadata = received) });
    expect(answer.choices[0].message.content).toBe("You said: hello");
    expect(metadata?.get(TARGET)).toEqual([`bedrock-west/${HAIKU}`]);
  });

  it("streams, the metadata naming the target that sent the first chunk", async () => {
    up.east.enqueue(throttledStream(0));
    let metadata: grpc.Metadata | undefined;
    const chunks = await stack.grpc.collect(ask("smart"), { onMetadata: (received) => (metadata = received) });
    expect(chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? "").join("")).toBe("You said: hello");
    expect(metadata?.get(TARGET)).toEqual([`bedrock-west/${HAIKU}`]);
  });

  it("lists the models file's names with ListModels", async () => {
    const ids = ((await stack.grpc.listModels()).data as { id: string }[]).map((model) => model.id);
    expect(ids).toContain("smart");
    expect(ids).toContain(`bedrock-west/${HAIKU}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("stops at the caller's deadline, whatever targets are left", async () => {
    up.east.enqueue({ kind: "hang" });
    const failed = await rejection<grpc.ServiceError>(stack.grpc.create(ask("smart"), { deadlineMs: 300 }));
    expect(failed.code).toBe(4); // DEADLINE_EXCEEDED
    await up.east.requests[0]?.whenSettled;
    expect(up.west.requests).toHaveLength(0);
    expect(up.backup.chatRequests).toHaveLength(0);
  });
});

describe("a models-file embedding model", () => {
  // Every failure here is scripted: no target rests.
  const stack = useGateway(() => ({ upstreamRetries: 0, cooldown: { failures: 0, seconds: 30 } }));
  let grpcEmbeddings: GrpcEmbeddingClient;

  beforeAll(() => {
    grpcEmbeddings = createGrpcEmbeddingClient(stack.gateway.url, stack.gateway.key);
  });

  afterAll(() => grpcEmbeddings?.close());

  const embed = (model: string, input: string[]) =>
    stack.openai.embeddings.create({ model, input, encoding_format: "float" }).withResponse();

  it("falls back from a throttled region over the OpenAI API, naming the target, and counts the fallback", async () => {
    up.east.enqueue(throttled);
    const { data, response } = await embed("vectors", ["first words", "second words"]);
    expect(response.headers.get(TARGET)).toBe(`bedrock-west/${TITAN_EMBED}`);
    expect(data.model).toBe(TITAN_EMBED);
    expect(data.data.map((item) => item.index)).toEqual([0, 1]);
    expect(data.data.every((item) => item.embedding.length > 0)).toBe(true);
    // Titan takes one input per call: both went to the second region, signed with its own account's keys.
    expect(up.west.requests).toHaveLength(2);
    for (const request of up.west.requests) {
      expect(request.modelId).toBe(TITAN_EMBED);
      expect(signedScope(request.headers.authorization)).toEqual({
        keyId: WEST_CREDENTIALS.accessKeyId,
        region: WEST_REGION,
      });
    }
    const metrics = await scrape(stack.gateway);
    expect(
      sampleSum(metrics, "open_bedrock_fallbacks_total", {
        provider: "bedrock",
        model: TITAN_EMBED,
        error: "RateLimitError",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleSum(metrics, "open_bedrock_requests_total", { operation: "embeddings", outcome: "ok" }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("falls back the same over gRPC, the response metadata naming the target", async () => {
    up.east.enqueue(throttled);
    let metadata: grpc.Metadata | undefined;
    const answer = await grpcEmbeddings.create(
      { model: "vectors", input: ["over gRPC"] },
      { onMetadata: (received) => (metadata = received) },
    );
    expect(metadata?.get(TARGET)).toEqual([`bedrock-west/${TITAN_EMBED}`]);
    expect(answer.model).toBe(TITAN_EMBED);
    expect(answer.data).toHaveLength(1);
    expect(up.west.requests).toHaveLength(1);
  });

  it("reaches the OpenAI-compatible backup, with its own key, when both regions are throttled", async () => {
    up.east.enqueue(throttled);
    up.west.enqueue(throttled);
    const { data, response } = await embed("vectors", ["last resort"]);
    expect(response.headers.get(TARGET)).toBe("openai-backup/text-embedding-3-small");
    expect(data.data).toHaveLength(1);
    expect(up.backup.embeddingsRequests).toHaveLength(1);
    expect(up.backup.embeddingsRequests[0]?.headers.authorization).toBe(`Bearer ${BACKUP_KEY}`);
    expect(up.backup.embeddingsRequests[0]?.body).toMatchObject({ model: "text-embedding-3-small" });
    expect(up.openai.embeddingsRequests).toHaveLength(0);
  });

  it("does not fall back on the caller's fault (400)", async () => {
    up.east.enqueue({ kind: "error", status: 400, errorType: "ValidationException", message: "Malformed input." });
    const failed = await rejection<InstanceType<typeof OpenAI.APIError>>(embed("vectors", ["one"]));
    expect(failed.status).toBe(400);
    expect(failed.headers?.get(TARGET)).toBe(`bedrock/${TITAN_EMBED}`);
    expect(up.west.requests).toHaveLength(0);
    expect(up.backup.embeddingsRequests).toHaveLength(0);
  });

  it("serves a named provider's embedding models by its prefix, Bedrock and OpenAI-compatible alike", async () => {
    const west = await embed("bedrock-west/cohere.embed-english-v3", ["by prefix"]);
    expect(west.response.headers.get(TARGET)).toBe("bedrock-west/cohere.embed-english-v3");
    expect(signedScope(up.west.last().headers.authorization).region).toBe(WEST_REGION);
    const backup = await embed("openai-backup/text-embedding-3-small", ["by prefix"]);
    expect(backup.response.headers.get(TARGET)).toBe("openai-backup/text-embedding-3-small");
    expect(up.backup.embeddingsRequests).toHaveLength(1);
    expect(up.east.requests).toHaveLength(0);
    expect(up.openai.embeddingsRequests).toHaveLength(0);
  });
});

describe("retries in place, timeouts and cooldown", () => {
  const stack = useGateway(() => ({
    upstreamRetries: 2,
    upstreamTimeoutMs: 500,
    cooldown: { failures: 2, seconds: 2 },
  }));

  it("retries a 429 after its retry-after, then answers: no fallback needed", async () => {
    up.openai.enqueue({
      kind: "error",
      status: 429,
      headers: { "retry-after": "0.2" },
      body: { error: { message: "Rate limit reached.", type: "requests", code: "rate_limit_exceeded" } },
    });
    const { data, response } = await stack.openai.chat.completions.create(ask("patient")).withResponse();
    expect(data.choices[0]?.message.content).toBe("You said: hello");
    expect(response.headers.get(TARGET)).toBe("openai/gpt-4o");
    expect(up.openai.chatRequests).toHaveLength(2);
    expect(up.backup.chatRequests).toHaveLength(0);
    const retry = stack.gateway.logs.find((line) => line.msg === "upstream call failed: retrying");
    expect(retry).toMatchObject({
      provider: "openai",
      model: "gpt-4o",
      retry: 1,
      delayMs: 200,
      error: "RateLimitError",
    });
  });

  it("does not wait for a retry-after longer than 10 s: the next target answers", async () => {
    up.openai.enqueue({
      kind: "error",
      status: 429,
      headers: { "retry-after": "60" },
      body: { error: { message: "Rate limit reached.", type: "requests", code: "rate_limit_exceeded" } },
    });
    const { response } = await stack.openai.chat.completions.create(ask("patient")).withResponse();
    expect(response.headers.get(TARGET)).toBe("openai-backup/gpt-4o");
    expect(up.openai.chatRequests).toHaveLength(1);
  });

  it("retries a Bedrock region that is briefly unavailable, in place", async () => {
    up.east.enqueue({ kind: "error", status: 503, errorType: "ServiceUnavailableException", message: "Try later." });
    const { response } = await stack.openai.chat.completions.create(ask("smart")).withResponse();
    expect(response.headers.get(TARGET)).toBe(`bedrock/${HAIKU}`);
    expect(up.east.requests).toHaveLength(2);
    expect(up.west.requests).toHaveLength(0);
  });

  it("retries a throttled embedding call in place, then answers from the same target", async () => {
    up.east.enqueue(throttled);
    const { response } = await stack.openai.embeddings
      .create({ model: "vectors", input: ["once more"] })
      .withResponse();
    expect(response.headers.get(TARGET)).toBe(`bedrock/${TITAN_EMBED}`);
    expect(up.east.requests).toHaveLength(2);
    expect(up.west.requests).toHaveLength(0);
    expect(stack.gateway.logs).toContainEqual(
      expect.objectContaining({
        msg: "upstream call failed: retrying",
        provider: "bedrock",
        model: TITAN_EMBED,
        error: "RateLimitError",
      }),
    );
  });

  it("moves on from a region that does not answer within UPSTREAM_TIMEOUT_MS", async () => {
    up.east.enqueue({ kind: "hang" });
    const { response } = await stack.openai.chat.completions.create(ask("smart")).withResponse();
    expect(response.headers.get(TARGET)).toBe(`bedrock-west/${HAIKU}`);
  });

  it("rests a target that failed COOLDOWN_FAILURES requests in a row, then tries it again", async () => {
    const failing = { kind: "error", status: 500, errorType: "InternalServerException", message: "Oops." } as const;
    up.east.enqueue(failing, failing);
    for (let request = 0; request < 2; request += 1) await stack.openai.chat.completions.create(ask("resting"));
    expect(up.east.requests).toHaveLength(2);
    // Resting: the next request goes straight to the next target.
    const resting = await stack.openai.chat.completions.create(ask("resting")).withResponse();
    expect(resting.response.headers.get(TARGET)).toBe("openai/gpt-4o-mini");
    expect(up.east.requests).toHaveLength(2);
    // COOLDOWN_SECONDS later it is tried again, and it answers.
    await sleep(2_100);
    const recovered = await stack.openai.chat.completions.create(ask("resting")).withResponse();
    expect(recovered.response.headers.get(TARGET)).toBe("bedrock/amazon.nova-lite-v1:0");
    expect(up.east.requests).toHaveLength(3);
    const metrics = await scrape(stack.gateway);
    expect(
      sampleSum(metrics, "open_bedrock_cooldowns_total", { provider: "bedrock", model: "amazon.nova-lite-v1:0" }),
    ).toBe(1);
  });

  it("rests a target for every front door: after chat's failures, Messages goes straight to the next target", async () => {
    const failing = { kind: "error", status: 500, errorType: "InternalServerException", message: "Oops." } as const;
    up.east.enqueue(failing, failing);
    for (let request = 0; request < 2; request += 1) await stack.openai.chat.completions.create(ask("resting"));
    expect(up.east.requests).toHaveLength(2);
    const anthropic = new Anthropic({ apiKey: stack.gateway.key, baseURL: stack.gateway.url, maxRetries: 0 });
    const { data, response } = await anthropic.messages
      .create({ model: "resting", max_tokens: 64, messages: [{ role: "user", content: "hello" }] })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: "text", text: "You said: hello" });
    expect(response.headers.get(TARGET)).toBe("openai/gpt-4o-mini");
    expect(up.east.requests).toHaveLength(2);
  });
});

describe("a named Bedrock provider that assumes a role", () => {
  const ROLE = "arn:aws:iam::210987654321:role/bedrock-caller";
  const previous = process.env.AWS_ENDPOINT_URL_STS;
  let sts: FakeSts;
  const stack = {} as Stack;

  beforeAll(async () => {
    sts = new FakeSts(WEST_REGION, WEST_CREDENTIALS, up.west);
    // The STS client the role provider builds honours the SDKs' own endpoint variable.
    process.env.AWS_ENDPOINT_URL_STS = await sts.start();
    const file = modelsFile(`  west-role:
    type: bedrock
    region: ${WEST_REGION}
    endpoint_url: ${up.west.url}
    access_key_id: ${WEST_CREDENTIALS.accessKeyId}
    secret_access_key: \${WEST_SECRET}
    role_arn: ${ROLE}
    external_id: tenant-42
`);
    stack.gateway = await startGateway({ config: { modelsFile: file } });
    stack.openai = new OpenAI({ apiKey: stack.gateway.key, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await stack.gateway?.close(100);
    await sts?.close();
    if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_STS;
    else process.env.AWS_ENDPOINT_URL_STS = previous;
  });

  it("assumes its role with its external id, in its region, and signs with the temporary credentials", async () => {
    await stack.openai.chat.completions.create(ask(`west-role/${HAIKU}`));
    expect(sts.calls).toEqual([{ roleArn: ROLE, roleSessionName: ROLE_SESSION_NAME, externalId: "tenant-42" }]);
    expect(signedScope(up.west.last().headers.authorization)).toEqual({
      keyId: FAKE_TEMPORARY_CREDENTIALS.accessKeyId,
      region: WEST_REGION,
    });
    expect(up.west.last().headers["x-amz-security-token"]).toBe(FAKE_TEMPORARY_CREDENTIALS.sessionToken);
  });
});
