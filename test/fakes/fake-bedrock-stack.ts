/**
 * The real server with its Bedrock provider pointed at the fake Bedrock
 * Runtime and control plane, plus the clients the end-to-end tests use:
 * the `openai` SDK and a grpc-js client.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { AppConfig, BedrockConfig } from "../../src/config/load-config.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient, type GrpcChatClient } from "../helpers/grpc-client.js";
import { FAKE_AWS_CREDENTIALS, FAKE_AWS_REGION, FakeBedrock, fakeBedrockConfig } from "./fake-bedrock.js";
import { FakeBedrockControl } from "./fake-bedrock-control.js";

/** The exchanges that can reach Bedrock Runtime (`BEDROCK_HTTP_CLIENT`), for suites that run against each. */
export const BEDROCK_HTTP_CLIENTS = ["undici", "sdk"] as const;

export interface BedrockStack {
  bedrock: FakeBedrock;
  control: FakeBedrockControl;
  gateway: TestGateway;
  openai: OpenAI;
  grpc: GrpcChatClient;
  close(): Promise<void>;
}

export interface BedrockStackOptions {
  bedrock?: Partial<BedrockConfig>;
  config?: Partial<AppConfig>;
  /** Base URL of a fake OpenAI, to run both providers. */
  openaiBaseURL?: string;
}

export async function startBedrockStack(options: BedrockStackOptions = {}): Promise<BedrockStack> {
  const bedrock = new FakeBedrock();
  const control = new FakeBedrockControl(FAKE_AWS_REGION, FAKE_AWS_CREDENTIALS);
  await Promise.all([bedrock.start(), control.start()]);
  const gateway = await startGateway({
    ...(options.openaiBaseURL ? { openaiBaseURL: options.openaiBaseURL } : {}),
    config: {
      bedrock: fakeBedrockConfig(bedrock.url, { controlEndpoint: control.url, ...options.bedrock }),
      ...options.config,
    },
  });
  const openai = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  const grpc = createGrpcChatClient(gateway.url, gateway.key);
  return {
    bedrock,
    control,
    gateway,
    openai,
    grpc,
    async close() {
      grpc.close();
      await gateway.close(100);
      await Promise.all([bedrock.close(), control.close()]);
    },
  };
}

/**
 * One stack for the enclosing describe block: started before its tests, the
 * fake Bedrock reset before each, closed after them all.
 */
export function useBedrockStack(options: BedrockStackOptions = {}): BedrockStack {
  const stack = {} as BedrockStack;
  beforeAll(async () => {
    Object.assign(stack, await startBedrockStack(options));
  });
  afterAll(async () => {
    await stack.close?.();
  });
  beforeEach(() => stack.bedrock.reset());
  return stack;
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection<T = Error>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error("the call succeeded");
}
