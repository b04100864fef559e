/**
 * What a new user meets when something is not set up yet: each message says
 * what is wrong and what to do, and a failed request's log line says why it
 * failed (its upstream's words, without a secret).
 */
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { headingAnchors } from "../docs/doc-blocks.js";
import { type BedrockStack, startBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { FAKE_OPENAI_KEY } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway, useOpenAIGateway } from "../helpers/gateway.js";
import { createGrpcChatClient } from "../helpers/grpc-client.js";

const setup = useOpenAIGateway();

const chat = (url: string, headers: Record<string, string>, model = "gpt-4o-mini") =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });

/** The one log line about a request, found by its id. */
function lineFor(gateway: TestGateway, message: "request" | "rpc", requestId: string): Record<string, unknown> {
  const line = gateway.logs.find((entry) => entry.msg === message && entry.requestId === requestId);
  if (!line) throw new Error(`no ${message} line for ${requestId} in:\n${gateway.logText()}`);
  return line;
}

describe("a key sent without the Bearer scheme", () => {
  it("is answered with what is missing, over HTTP and gRPC", async () => {
    const http = await chat(setup.gateway.url, { authorization: setup.gateway.key });
    expect(http.status).toBe(401);
    const body = (await http.json()) as { error: { message: string; code: string } };
    expect(body.error).toMatchObject({
      code: "missing_api_key",
      message:
        "The Authorization header has no scheme: put 'Bearer ' before the key. Send the key as 'Authorization: Bearer <key>'.",
    });
    expect(body.error.message).not.toContain(setup.gateway.key);
    const grpc = createGrpcChatClient(setup.gateway.url, setup.gateway.key);
    try {
      const refused = await grpc.listModels({ key: null }).then(
        () => undefined,
        (error: { details?: string }) => error.details,
      );
      expect(refused).toBe("You didn't provide an API key. Send the key as 'Authorization: Bearer <key>'.");
    } finally {
      grpc.close();
    }
  });
});

describe("the log line of a failed request", () => {
  // The upstream's error text repeats the server's upstream key, as some servers do.
  const upstreamFailure = {
    kind: "error" as const,
    status: 500,
    body: { error: { message: `The engine broke while serving key ${FAKE_OPENAI_KEY}`, type: "server_error" } },
  };

  it("says why over HTTP, in the upstream's words, without the secret", async () => {
    setup.upstream.enqueue(upstreamFailure);
    const response = await chat(setup.gateway.url, {
      authorization: `Bearer ${setup.gateway.key}`,
      "x-request-id": "first-run-http-502",
    });
    expect(response.status).toBeGreaterThanOrEqual(500);
    const line = lineFor(setup.gateway, "request", "first-run-http-502");
    expect(line).toMatchObject({ level: 40, status: response.status });
    expect(line.error).toMatchObject({ class: expect.stringMatching(/Error$/) });
    expect(JSON.stringify(line.error)).toContain("The engine broke while serving key");
    expect(setup.gateway.logText()).not.toContain(FAKE_OPENAI_KEY);
  });

  it("says why over gRPC, on the rpc line", async () => {
    setup.upstream.enqueue(upstreamFailure);
    const grpc = createGrpcChatClient(setup.gateway.url, setup.gateway.key);
    try {
      await grpc
        .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
        .catch((error: unknown) => error);
    } finally {
      grpc.close();
    }
    const line = setup.gateway.logs.find(
      (entry) => entry.msg === "rpc" && JSON.stringify(entry.error ?? "").includes("The engine broke"),
    );
    expect(line).toMatchObject({ level: 40, rpc: "openbedrock.v1.ChatService/CreateChatCompletion" });
    expect(setup.gateway.logText()).not.toContain(FAKE_OPENAI_KEY);
  });

  it("says why a stream broke after it started, though its status was 200", async () => {
    setup.upstream.enqueue({
      kind: "midstream-error",
      afterChunks: 2,
      error: { error: { message: "The stream fell over", type: "server_error", param: null, code: null } },
    });
    const response = await fetch(`${setup.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${setup.gateway.key}`,
        "content-type": "application/json",
        "x-request-id": "first-run-midstream",
      },
      body: JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    await response.text();
    await vi.waitFor(() => lineFor(setup.gateway, "request", "first-run-midstream"));
    const line = lineFor(setup.gateway, "request", "first-run-midstream");
    expect(line).toMatchObject({ status: 200 });
    expect(JSON.stringify(line.error)).toContain("The stream fell over");
  });

  it("has no error when the request succeeded", async () => {
    await chat(setup.gateway.url, { authorization: `Bearer ${setup.gateway.key}`, "x-request-id": "first-run-ok" });
    const line = lineFor(setup.gateway, "request", "first-run-ok");
    expect(line).toMatchObject({ level: 30, status: 200 });
    expect(line).not.toHaveProperty("error");
  });
});

describe("a provider that is not configured", () => {
  it("answers 503 pointing at the section of docs/configuration.md that says what to set", async () => {
    const response = await chat(
      setup.gateway.url,
      { authorization: `Bearer ${setup.gateway.key}` },
      "anthropic.claude-3-haiku-20240307-v1:0",
    );
    expect(response.status).toBe(503);
    const { error } = (await response.json()) as { error: { message: string } };
    const [, file, anchor] = /(docs\/[a-z-]+\.md)#([a-z0-9-]+)/.exec(error.message) ?? [];
    expect(file).toBe("docs/configuration.md");
    const headings = headingAnchors(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8"));
    expect(headings).toContain(anchor);
  });
});

describe("AWS_PROFILE naming a profile that does not exist", () => {
  let stack: BedrockStack;

  beforeAll(async () => {
    stack = await startBedrockStack({
      bedrock: { credentials: undefined, profile: "no-such-profile", credentialSource: "AWS profile no-such-profile" },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("fails Bedrock requests with a 503 that names the profile", async () => {
    // Nothing else in the chain may answer: no keys in the environment, no shared files, no instance metadata.
    vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/open-bedrock/config");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/open-bedrock/credentials");
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    const response = await chat(
      stack.gateway.url,
      { authorization: `Bearer ${stack.gateway.key}` },
      "anthropic.claude-3-haiku-20240307-v1:0",
    );
    expect(response.status).toBe(503);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain("the AWS profile 'no-such-profile' (AWS_PROFILE) gave no credentials");
  });
});

describe("a server without any provider", () => {
  it("says so in /health, with what to set", async () => {
    const bare = await startGateway();
    try {
      const health = (await (await fetch(`${bare.url}/health`)).json()) as { warnings?: string[] };
      expect(health.warnings).toEqual([expect.stringContaining("No provider is configured")]);
      expect(health.warnings?.[0]).toContain("set OPENAI_API_KEY, or give the server AWS credentials for Bedrock");
    } finally {
      await bare.close(100);
    }
    const configured = (await (await fetch(`${setup.gateway.url}/health`)).json()) as object;
    expect(configured).not.toHaveProperty("warnings");
  });
});
