/**
 * Graceful shutdown: running calls finish, idle connections do not hold the
 * server open, and what is still running when the grace time ends is ended
 * with a clear status.
 */
import { status } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient } from "../helpers/grpc-client.js";
import { rawConnection } from "../helpers/raw-connection.js";

let upstream: FakeOpenAI;
let gateway: TestGateway;

beforeEach(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  gateway = await startGateway({ openaiBaseURL: upstream.baseURL });
});

afterEach(async () => {
  await gateway.close(0);
  await upstream.close();
});

const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "one two three four five" }] };

describe("closing the server", () => {
  it("lets a running stream finish", async () => {
    upstream.enqueue({ kind: "reply", chunkDelayMs: 30 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify({ ...chat, stream: true }),
    });
    const closed = gateway.close(60_000);
    const text = await response.text();
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    expect(text).toContain("five");
    await closed;
  });

  it("closes an idle keep-alive connection at once, so the connection cannot hold the server open", async () => {
    const connection = rawConnection(gateway.port);
    connection.send("GET /health HTTP/1.1\r\nhost: gateway\r\n\r\n");
    await connection.answered(1);
    // A minute of grace: only closing the idle connection ends it now.
    const closed = gateway.close(60_000);
    // Still open, the connection would carry this request and its answer.
    connection.send("GET /health HTTP/1.1\r\nhost: gateway\r\n\r\n");
    await connection.ended;
    expect(connection.answers()).toBe(1);
    await closed;
  });

  it("ends what still runs after the grace time with UNAVAILABLE", async () => {
    upstream.enqueue({ kind: "hang" });
    const client = createGrpcChatClient(gateway.url, gateway.key);
    try {
      const call = client.create(chat).catch((error: { code: number; details: string }) => error);
      const upstreamCall = await upstream.nextChatRequest();
      await gateway.close(50);
      const error = await call;
      expect(error).toMatchObject({ code: status.UNAVAILABLE });
      expect(await upstreamCall.whenSettled).toBe("aborted");
    } finally {
      client.close();
    }
  });

  it("refuses new connections once closing began", async () => {
    await gateway.close(0);
    await expect(fetch(`${gateway.url}/health`)).rejects.toThrow();
  });
});
