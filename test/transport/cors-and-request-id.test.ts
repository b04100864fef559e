import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatService } from "../../gen/openbedrock/v1/chat_pb.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient } from "../helpers/grpc-client.js";

let upstream: FakeOpenAI;
let gateway: TestGateway;
let openToAll: TestGateway;

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  gateway = await startGateway({ openaiBaseURL: upstream.baseURL, config: { corsOrigins: ["https://app.example"] } });
  openToAll = await startGateway({ openaiBaseURL: upstream.baseURL, config: { corsOrigins: ["*"] } });
});

afterAll(async () => {
  await gateway?.close(100);
  await openToAll?.close(100);
  await upstream?.close();
});

const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };

function post(target: TestGateway, headers: Record<string, string> = {}) {
  return fetch(`${target.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${target.key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(chat),
  });
}

describe("request ids", () => {
  it("gives every HTTP answer one, and logs it", async () => {
    const response = await post(gateway);
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    await response.text();
    const line = gateway.logs.find((entry) => entry.msg === "request" && entry.requestId === id);
    expect(line).toMatchObject({ method: "POST", path: "/v1/chat/completions", status: 200 });
  });

  it("keeps the caller's id when it is a sane token, and replaces one that is not", async () => {
    expect((await post(gateway, { "x-request-id": "trace-42.a:b" })).headers.get("x-request-id")).toBe("trace-42.a:b");
    const odd = await post(gateway, { "x-request-id": "x".repeat(300) });
    expect(odd.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("gives errors one too", async () => {
    const response = await fetch(`${gateway.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("gives RPCs one, in the response headers and the log", async () => {
    const grpc = createGrpcChatClient(gateway.url, gateway.key);
    try {
      const call = grpc.stream(chat);
      const metadata = new Promise<Metadata>((resolve) => call.once("metadata", resolve));
      for await (const _chunk of call) {
        // read the whole stream: its log line is written when it ends
      }
      const [id] = (await metadata).get("x-request-id");
      expect(String(id)).toMatch(/^req_/);
      expect(gateway.logs.some((entry) => entry.msg === "rpc" && entry.requestId === String(id))).toBe(true);
    } finally {
      grpc.close();
    }
    let connectId: string | null = null;
    const client = createClient(ChatService, createConnectTransport({ baseUrl: gateway.url, httpVersion: "1.1" }));
    await client.createChatCompletion(chat, {
      headers: { authorization: `Bearer ${gateway.key}` },
      onHeader: (headers) => {
        connectId = headers.get("x-request-id");
      },
    });
    expect(connectId).toMatch(/^req_/);
  });
});

describe("CORS", () => {
  const preflight = (target: TestGateway, origin: string, path = "/v1/chat/completions") =>
    fetch(`${target.url}${path}`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, x-stainless-os",
      },
    });

  it("answers a preflight from an allowed origin without a key", async () => {
    for (const path of ["/v1/chat/completions", "/openbedrock.v1.ChatService/StreamChatCompletion"]) {
      const response = await preflight(gateway, "https://app.example", path);
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(response.headers.get("access-control-allow-methods")).toContain("POST");
      expect(response.headers.get("access-control-allow-headers")).toBe("authorization, content-type, x-stainless-os");
      expect(response.headers.get("vary")).toBe("Origin");
    }
  });

  it("marks answers to an allowed origin and exposes the headers a page needs", async () => {
    const response = await post(gateway, { origin: "https://app.example" });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(response.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
    expect(response.headers.get("access-control-expose-headers")).toContain("Grpc-Status");
  });

  it("gives another origin nothing, so the browser refuses", async () => {
    const refused = await preflight(gateway, "https://evil.example");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect(refused.status).toBe(401);
    const answered = await post(gateway, { origin: "https://evil.example" });
    expect(answered.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows any origin with *", async () => {
    const response = await preflight(openToAll, "https://anywhere.example");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("serves no CORS when no origin is configured", async () => {
    const plain = await startGateway({ openaiBaseURL: upstream.baseURL });
    try {
      const response = await preflight(plain, "https://app.example");
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await plain.close(100);
    }
  });
});
