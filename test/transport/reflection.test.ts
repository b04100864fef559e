/**
 * gRPC server reflection, through the clients that use it: `buf curl`
 * without proto files (grpcurl and Postman speak the same protocol).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";

const run = promisify(execFile);
let upstream: FakeOpenAI;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  gateway = await startGateway({ openaiBaseURL: upstream.baseURL });
});

afterAll(async () => {
  await gateway?.close(100);
  await upstream?.close();
});

/** `buf curl` with reflection, the key on the call only; answers stdout, or the error's stderr and exit code. */
async function bufCurl(target: TestGateway, args: string[], key: string | null = target.key) {
  const auth = key === null ? [] : ["-H", `authorization: Bearer ${key}`];
  try {
    const { stdout } = await run(
      "npx",
      ["buf", "curl", "--protocol", "grpc", "--http2-prior-knowledge", ...auth, ...args],
      {
        timeout: 30_000,
      },
    );
    return { ok: true as const, stdout };
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; code?: number };
    return { ok: false as const, stdout: `${failure.stdout ?? ""}${failure.stderr ?? ""}`, code: failure.code };
  }
}

describe("gRPC server reflection", () => {
  it.each(["grpc-v1", "grpc-v1alpha"])("lists the services and methods (%s)", async (protocol) => {
    const services = await bufCurl(gateway, ["--reflect-protocol", protocol, "--list-services", gateway.url]);
    expect(services.stdout.split("\n")).toContain("openbedrock.v1.ChatService");
    expect(services.stdout.split("\n")).toContain("grpc.health.v1.Health");
    const methods = await bufCurl(gateway, ["--reflect-protocol", protocol, "--list-methods", gateway.url]);
    expect(methods.stdout).toContain("openbedrock.v1.ChatService/StreamChatCompletion");
    expect(methods.stdout).toContain("openbedrock.v1.ChatService/ListModels");
  });

  it("lets a client call without the proto files", async () => {
    const answer = await bufCurl(gateway, [
      "-d",
      JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "no schema needed" }] }),
      `${gateway.url}/openbedrock.v1.ChatService/CreateChatCompletion`,
    ]);
    expect(answer.ok).toBe(true);
    expect(JSON.parse(answer.stdout).choices[0].message.content).toBe("You said: no schema needed");
  });

  it("describes the health service, so a probe can call it without the proto files or a key", async () => {
    const methods = await bufCurl(gateway, ["--list-methods", gateway.url], null);
    expect(methods.stdout).toContain("grpc.health.v1.Health/Check");
    expect(methods.stdout).toContain("grpc.health.v1.Health/Watch");
    const check = await bufCurl(gateway, ["-d", '{"service": ""}', `${gateway.url}/grpc.health.v1.Health/Check`], null);
    expect(check.ok).toBe(true);
    expect(JSON.parse(check.stdout)).toEqual({ status: "SERVING" });
  });

  it("answers without a key (the schema is public in proto/), while every ChatService call needs one", async () => {
    const services = await bufCurl(gateway, ["--list-services", gateway.url], null);
    expect(services.ok).toBe(true);
    expect(services.stdout.split("\n")).toContain("openbedrock.v1.ChatService");
    const call = ["-d", "{}", `${gateway.url}/openbedrock.v1.ChatService/ListModels`];
    const keyless = await bufCurl(gateway, call, null);
    expect(keyless).toMatchObject({ ok: false });
    expect(JSON.parse(keyless.stdout)).toMatchObject({
      code: "unauthenticated",
      message: expect.stringMatching(/^You didn't provide an API key\./),
    });
    const wrong = await bufCurl(gateway, call, "wrong-key");
    expect(wrong).toMatchObject({ ok: false });
    expect(JSON.parse(wrong.stdout)).toEqual({ code: "unauthenticated", message: "Incorrect API key provided." });
  });

  it("is off with GRPC_REFLECTION=false", async () => {
    const closed = await startGateway({ openaiBaseURL: upstream.baseURL, config: { grpcReflection: false } });
    try {
      const refused = await bufCurl(closed, ["--list-services", closed.url]);
      expect(refused.ok).toBe(false);
      expect(refused.stdout).toMatch(/unimplemented|not implemented|does not support/i);
    } finally {
      await closed.close(100);
    }
  });

  it("describes EmbeddingService and lets a client make embeddings without the proto files", async () => {
    const methods = await bufCurl(gateway, ["--list-methods", gateway.url]);
    expect(methods.stdout).toContain("openbedrock.v1.EmbeddingService/CreateEmbeddings");
    const answer = await bufCurl(gateway, [
      "-d",
      JSON.stringify({ model: "text-embedding-3-small", input: ["no schema"], dimensions: 4 }),
      `${gateway.url}/openbedrock.v1.EmbeddingService/CreateEmbeddings`,
    ]);
    expect(answer.ok).toBe(true);
    const body = JSON.parse(answer.stdout) as { data: { embedding: number[] }[] };
    expect(body.data[0]?.embedding).toHaveLength(4);
  });
});
