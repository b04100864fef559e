/**
 * gRPC's standard health service and the HTTP health views, as probes see
 * them: grpc-js (what grpc-health-probe and Kubernetes' gRPC probes speak),
 * Connect over HTTP/1.1, and plain HTTP on a raw connection.
 */
import { status } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createHealthClient, type HealthClient, type ServingStatus } from "../helpers/grpc-health-client.js";
import { rawConnection } from "../helpers/raw-connection.js";

let upstream: FakeOpenAI;
let gateway: TestGateway;
let health: HealthClient;

beforeEach(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  gateway = await startGateway({ openaiBaseURL: upstream.baseURL });
  health = createHealthClient(gateway.url);
});

afterEach(async () => {
  health.close();
  await gateway.close(0);
  await upstream.close();
});

/** Everything a Watch receives until its stream ends, and how it ended. */
function watchAll(service: string) {
  const call = health.watch(service);
  const statuses: ServingStatus[] = [];
  let onStatus = () => {};
  call.on("data", (message: { status: ServingStatus }) => {
    statuses.push(message.status);
    onStatus();
  });
  const ended = new Promise<number>((resolve) => {
    call.on("status", (final: { code: number }) => resolve(final.code));
  });
  call.on("error", () => {});
  const received = (count: number) =>
    new Promise<void>((resolve) => {
      onStatus = () => {
        if (statuses.length >= count) resolve();
      };
      onStatus();
    });
  return { statuses, received, ended };
}

describe("grpc.health.v1.Health", () => {
  it("answers SERVING for the server and each service it serves, to a caller without a key", async () => {
    for (const service of [
      "",
      "openbedrock.v1.ChatService",
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]) {
      expect(await health.check(service), service).toBe("SERVING");
    }
  });

  it("answers NOT_FOUND for a service it does not serve", async () => {
    await expect(health.check("openbedrock.v1.NoSuchService")).rejects.toMatchObject({
      code: status.NOT_FOUND,
      details: "This server does not serve openbedrock.v1.NoSuchService.",
    });
  });

  it("lists every service with its status, over Connect too", async () => {
    const response = await fetch(`${gateway.url}/grpc.health.v1.Health/List`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      statuses: {
        "": { status: "SERVING" },
        "openbedrock.v1.ChatService": { status: "SERVING" },
        "openbedrock.v1.EmbeddingService": { status: "SERVING" },
        "grpc.health.v1.Health": { status: "SERVING" },
        "grpc.reflection.v1.ServerReflection": { status: "SERVING" },
        "grpc.reflection.v1alpha.ServerReflection": { status: "SERVING" },
      },
    });
  });

  it("streams NOT_SERVING to a Watch as soon as the server starts to drain, then ends the stream", async () => {
    const server = watchAll("");
    const chat = watchAll("openbedrock.v1.ChatService");
    await Promise.all([server.received(1), chat.received(1)]);
    expect(server.statuses).toEqual(["SERVING"]);
    await gateway.close(60_000);
    expect(await server.ended).toBe(status.OK);
    expect(await chat.ended).toBe(status.OK);
    expect(server.statuses).toEqual(["SERVING", "NOT_SERVING"]);
    expect(chat.statuses).toEqual(["SERVING", "NOT_SERVING"]);
  });

  it("watches a service it does not serve without ending the call, until the server drains", async () => {
    const unknown = watchAll("openbedrock.v1.NoSuchService");
    await unknown.received(1);
    expect(unknown.statuses).toEqual(["SERVICE_UNKNOWN"]);
    // Still open: a Check on the same connection is answered while the Watch runs.
    expect(await health.check("")).toBe("SERVING");
    await gateway.close(60_000);
    expect(await unknown.ended).toBe(status.OK);
    expect(unknown.statuses).toEqual(["SERVICE_UNKNOWN"]);
  });
});

describe("the HTTP health views", () => {
  it("answer 200 with the same body: /health, /health/live and /health/ready", async () => {
    for (const path of ["/health", "/health/live", "/health/ready", "/health/ready/"]) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.json(), path).toMatchObject({ status: "ok", providers: { openai: true, bedrock: false } });
    }
    const posted = await fetch(`${gateway.url}/health/ready`, { method: "POST" });
    expect(posted.status).toBe(405);
    expect((await fetch(`${gateway.url}/health/other`)).status).toBe(404);
  });

  it("turn ready to 503 while the server drains, while live stays 200", async () => {
    upstream.enqueue({ kind: "reply", text: "one two three four five", chunkDelayMs: 300 });
    const body = JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] });
    const connection = rawConnection(gateway.port);
    connection.send(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer ${gateway.key}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await connection.receivedText("data: ");
    const closed = gateway.close(60_000);
    // Behind the running stream, on its connection (the listener no longer accepts): read during the drain.
    connection.send(
      "GET /health/ready HTTP/1.1\r\nhost: gateway\r\n\r\nGET /health/live HTTP/1.1\r\nhost: gateway\r\n\r\n",
    );
    await connection.ended;
    await closed;
    const answers = connection.received().split(/(?=HTTP\/1\.1 \d{3} )/);
    expect(answers.map((answer) => answer.slice(0, 12))).toEqual(["HTTP/1.1 200", "HTTP/1.1 503", "HTTP/1.1 200"]);
    expect(answers[0]).toContain("data: [DONE]");
    expect(answers[1]).toContain('"status":"draining"');
    expect(answers[2]).toContain('"status":"draining"');
  });
});
