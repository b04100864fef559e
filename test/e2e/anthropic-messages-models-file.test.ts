/**
 * Anthropic's model names with a models file: `anthropic_models` overrides
 * the built-in table, a models-file name works on /v1/messages, and its
 * targets fall back from Claude on Bedrock (the body as it is) to an OpenAI
 * model (the canonical request) before anything reached the caller.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readModelsFile } from "../../src/config/read-models-file.js";
import { FAKE_AWS_CREDENTIALS, FakeBedrock, fakeBedrockConfig } from "../fakes/fake-bedrock.js";
import { FakeBedrockControl } from "../fakes/fake-bedrock-control.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";

const REGION = "us-east-1";
const SONNET_45_PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const TARGET = "x-open-bedrock-target";

const bedrock = new FakeBedrock(REGION);
const control = new FakeBedrockControl(REGION, FAKE_AWS_CREDENTIALS);
const openai = new FakeOpenAI();
let gateway: TestGateway;
let dir: string;

beforeAll(async () => {
  await Promise.all([bedrock.start(), control.start(), openai.start()]);
  dir = mkdtempSync(join(tmpdir(), "open-bedrock-messages-models-"));
  const path = join(dir, "models.yaml");
  writeFileSync(
    path,
    `models:
  smart:
    targets:
      - bedrock/${SONNET_45_PROFILE}
      - openai/gpt-4o
anthropic_models:
  claude-opus-4-1: smart
  claude-haiku-4-5: openai/gpt-4o-mini
`,
  );
  gateway = await startGateway({
    openaiBaseURL: openai.baseURL,
    config: {
      bedrock: fakeBedrockConfig(bedrock.url, { region: REGION, controlEndpoint: control.url }),
      modelsFile: readModelsFile(path, () => undefined),
      upstreamRetries: 0,
    },
  });
});

afterAll(async () => {
  await gateway?.close(100);
  await Promise.all([bedrock.close(), control.close(), openai.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  bedrock.reset();
  openai.reset();
});

const client = () => new Anthropic({ apiKey: gateway.key, baseURL: gateway.url, maxRetries: 0 });
const hello = { max_tokens: 32, messages: [{ role: "user" as const, content: "hello" }] };

describe("Anthropic's names and the models file on /v1/messages", () => {
  it("resolves a built-in name to the region's inference profile and names the target in a header", async () => {
    const { data, response } = await client()
      .messages.create({ model: "claude-sonnet-4-5-20250929", ...hello })
      .withResponse();
    expect(data.content).toEqual([{ type: "text", text: "You said: hello" }]);
    expect(bedrock.last().modelId).toBe(SONNET_45_PROFILE);
    expect(response.headers.get(TARGET)).toBe(`bedrock/${SONNET_45_PROFILE}`);
  });

  it("lets anthropic_models send an Anthropic name to any model, here an OpenAI one", async () => {
    const answer = await client().messages.create({ model: "claude-haiku-4-5", ...hello });
    expect(answer.content).toEqual([{ type: "text", text: "You said: hello" }]);
    expect((await openai.nextChatRequest()).body?.model).toBe("gpt-4o-mini");
    expect(bedrock.requests).toHaveLength(0);
  });

  it("falls back from Claude on Bedrock to an OpenAI target, answering in Anthropic's shape", async () => {
    bedrock.enqueue({ kind: "error", status: 429, errorType: "ThrottlingException", message: "Too many requests" });
    const { data, response } = await client()
      .messages.create({ model: "claude-opus-4-1", ...hello })
      .withResponse();
    expect(bedrock.last().modelId).toBe(SONNET_45_PROFILE);
    expect((await openai.nextChatRequest()).body?.model).toBe("gpt-4o");
    expect(data).toMatchObject({ type: "message", content: [{ type: "text", text: "You said: hello" }] });
    expect(response.headers.get(TARGET)).toBe("openai/gpt-4o");
  });

  it("falls back the same way for a stream that had not begun", async () => {
    bedrock.enqueue({ kind: "error", status: 503, errorType: "ServiceUnavailableException", message: "Busy" });
    const message = await client()
      .messages.stream({ model: "smart", ...hello })
      .finalMessage();
    expect(bedrock.last().operation).toBe("invoke-with-response-stream");
    expect(openai.requests).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: "text", text: "You said: hello" });
  });

  it("counts tokens for a models-file name on its first target", async () => {
    const counted = await client().messages.countTokens({ model: "smart", messages: hello.messages });
    expect(bedrock.last()).toMatchObject({
      operation: "count-tokens",
      modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
  });
});
