/**
 * Starts the real server (the same composition root `npm start` uses) on an
 * ephemeral port, with its upstreams pointed at the fakes, and collects its
 * log lines so tests can read them.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type RunningServer, startServer } from "../../src/app.js";
import { type AppConfig, DEFAULT_IMAGE_FETCH, DEFAULT_LIMITS } from "../../src/config/load-config.js";
import { createLogger } from "../../src/logging.js";
import { FAKE_OPENAI_KEY, FakeOpenAI } from "../fakes/fake-openai.js";

export const CLIENT_KEY = "ob-test-client-key-0001";

export interface TestGateway extends RunningServer {
  key: string;
  config: AppConfig;
  /** Every log line the server wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The raw log text, to search for leaked secrets. */
  logText(): string;
}

export interface GatewayOptions {
  /** Base URL of the fake OpenAI (`http://127.0.0.1:PORT/v1`); omit to run without OpenAI. */
  openaiBaseURL?: string;
  /** The OpenAI exchange to use (default: the server's default). */
  openaiHttpClient?: "undici" | "sdk";
  config?: Partial<AppConfig>;
}

export function testConfig(options: GatewayOptions = {}): AppConfig {
  return {
    host: "127.0.0.1",
    port: 0,
    workers: 1,
    limits: DEFAULT_LIMITS,
    shutdownGraceMs: 10_000,
    // The test process's heap is left as V8 grows it.
    heapGrowthPercent: 0,
    clientKeys: { keys: [CLIENT_KEY], source: "test", generated: false },
    corsOrigins: [],
    grpcReflection: true,
    metricsEnabled: true,
    ...(options.openaiBaseURL
      ? {
          openai: {
            apiKey: FAKE_OPENAI_KEY,
            baseURL: options.openaiBaseURL,
            httpClient: options.openaiHttpClient ?? "undici",
          },
        }
      : {}),
    defaultOpenAIModel: "gpt-4o-mini",
    logLevel: "debug",
    upstreamTimeoutMs: 30_000,
    // Each upstream failure reaches the caller as it is, unless a test asks for retries.
    upstreamRetries: 0,
    cooldown: { failures: 3, seconds: 30 },
    providerDefaults: {
      openaiHttpClient: options.openaiHttpClient ?? "undici",
      bedrockHttpClient: "undici",
      awsRegion: "us-east-1",
      imageFetch: DEFAULT_IMAGE_FETCH,
      bedrockControls: {},
    },
    ...options.config,
  };
}

export async function startGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  const config = testConfig(options);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const server = await startServer(config, logger);
  return {
    ...server,
    key: CLIENT_KEY,
    config,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => lines.join("\n"),
  };
}

export interface OpenAIGatewaySetup {
  upstream: FakeOpenAI;
  gateway: TestGateway;
}

/**
 * Registers the hooks of a test file that runs the server in front of a fake
 * OpenAI: both start once, the fake forgets its requests before each test.
 */
export function useOpenAIGateway(options: Omit<GatewayOptions, "openaiBaseURL"> = {}): OpenAIGatewaySetup {
  const setup = {} as OpenAIGatewaySetup;
  beforeAll(async () => {
    setup.upstream = new FakeOpenAI();
    await setup.upstream.start();
    setup.gateway = await startGateway({ ...options, openaiBaseURL: setup.upstream.baseURL });
  });
  afterAll(async () => {
    await setup.gateway?.close(100);
    await setup.upstream?.close();
  });
  beforeEach(() => setup.upstream.reset());
  return setup;
}
