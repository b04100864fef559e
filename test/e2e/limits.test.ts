/**
 * The limits against oversized and slow clients, each set small here, and
 * the error each gives: through the OpenAI API, gRPC (grpc-js), Connect,
 * and raw HTTP/1.1 and HTTP/2 connections that behave as a slow or hostile
 * client would.
 */
import http2 from "node:http2";
import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/config/load-config.js";
import { MAX_JSON_NESTING } from "../../src/transport/http/read-json-body.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient, type GrpcChatClient } from "../helpers/grpc-client.js";
import { rawConnection } from "../helpers/raw-connection.js";

const LIMITS = {
  ...DEFAULT_LIMITS,
  maxBodyBytes: 4096,
  maxMessages: 3,
  headersTimeoutMs: 300,
  requestTimeoutMs: 600,
  keepAliveTimeoutMs: 300,
  http2IdleTimeoutMs: 400,
  http2MaxConcurrentStreams: 2,
};

let upstream: FakeOpenAI;
let gateway: TestGateway;
let grpc: GrpcChatClient;

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  gateway = await startGateway({ openaiBaseURL: upstream.baseURL, config: { limits: LIMITS } });
  grpc = createGrpcChatClient(gateway.url, gateway.key);
});

beforeEach(() => upstream.reset());

afterAll(async () => {
  grpc?.close();
  await gateway?.close(0);
  await upstream?.close();
});

const messages = (count: number, text = "hi") => Array.from({ length: count }, () => ({ role: "user", content: text }));

function post(path: string, body: unknown) {
  return fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const chat = (body: unknown) => post("/v1/chat/completions", body);

async function grpcError(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error("the call succeeded");
}

describe("MAX_BODY_BYTES", () => {
  const big = messages(1, "x".repeat(5000));

  it("refuses a larger body with 413 request_too_large, naming the limit", async () => {
    const response = await chat({ model: "gpt-4o-mini", messages: big });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: {
        message: "The request body is larger than 4096 bytes, the most this server takes (its MAX_BODY_BYTES).",
        type: "invalid_request_error",
        param: null,
        code: "request_too_large",
      },
    });
    expect(upstream.chatRequests).toHaveLength(0);
  });

  it("refuses a larger RPC message with RESOURCE_EXHAUSTED over gRPC and Connect", async () => {
    const error = await grpcError(grpc.create({ model: "gpt-4o-mini", messages: big }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.details).toMatch(/larger than configured readMaxBytes 4096/);
    const connect = await fetch(`${gateway.url}/openbedrock.v1.ChatService/CreateChatCompletion`, {
      method: "POST",
      headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: big }),
    });
    expect(await connect.json()).toMatchObject({ code: "resource_exhausted" });
    expect(upstream.chatRequests).toHaveLength(0);
  });

  it("serves a body within the limit", async () => {
    const response = await chat({ model: "gpt-4o-mini", messages: messages(1, "x".repeat(3000)) });
    expect(response.status).toBe(200);
  });
});

describe("MAX_MESSAGES", () => {
  it("refuses more messages with 400 array_above_max_length, as OpenAI words it", async () => {
    const response = await chat({ model: "gpt-4o-mini", messages: messages(4) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message:
          "Invalid 'messages': array too long. Expected an array with maximum length 3, but got an array with length 4 instead.",
        type: "invalid_request_error",
        param: "messages",
        code: "array_above_max_length",
      },
    });
    const error = await grpcError(grpc.create({ model: "gpt-4o-mini", messages: messages(4) }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(upstream.chatRequests).toHaveLength(0);
  });

  it("serves as many as the limit", async () => {
    expect((await chat({ model: "gpt-4o-mini", messages: messages(3) })).status).toBe(200);
  });

  it("holds on /v1/messages too, in Anthropic's error shape", async () => {
    const over = await post("/v1/messages", { model: "gpt-4o-mini", max_tokens: 5, messages: messages(4) });
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message:
          "Invalid 'messages': array too long. Expected an array with maximum length 3, but got an array with length 4 instead.",
      },
    });
    expect(upstream.chatRequests).toHaveLength(0);
    const big = await post("/v1/messages", {
      model: "gpt-4o-mini",
      max_tokens: 5,
      messages: messages(1, "x".repeat(5000)),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ type: "error", error: { type: "request_too_large" } });
  });
});

describe("JSON nesting", () => {
  /** Arrays inside arrays, `levels` deep. */
  const nested = (levels: number): unknown => (levels === 0 ? 1 : [nested(levels - 1)]);

  it(`refuses a body nested more than ${MAX_JSON_NESTING} levels deep with 400 json_too_deep, on chat and embeddings`, async () => {
    // The body itself is the first level.
    const chatBody = { model: "gpt-4o-mini", messages: messages(1), a_field_from_next_year: nested(MAX_JSON_NESTING) };
    const embeddingsBody = {
      model: "text-embedding-3-small",
      input: "x",
      a_field_from_next_year: nested(MAX_JSON_NESTING),
    };
    for (const [path, body] of [
      ["/v1/chat/completions", chatBody],
      ["/v1/embeddings", embeddingsBody],
    ] as const) {
      const response = await post(path, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          message: `The JSON body nests arrays and objects more than ${MAX_JSON_NESTING} levels deep, more than this server takes.`,
          type: "invalid_request_error",
          param: null,
          code: "json_too_deep",
        },
      });
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it(`passes a body ${MAX_JSON_NESTING} levels deep on as it came`, async () => {
    const deepest = nested(MAX_JSON_NESTING - 1);
    const response = await post("/v1/chat/completions", {
      model: "gpt-4o-mini",
      messages: messages(1),
      a_field_from_next_year: deepest,
    });
    expect(response.status).toBe(200);
    expect(upstream.chatRequests[0]?.body?.a_field_from_next_year).toEqual(deepest);
  });
});

describe("slow HTTP/1.1 clients", () => {
  it("answers 408 and closes a connection whose headers do not arrive in HEADERS_TIMEOUT_MS", async () => {
    const connection = rawConnection(gateway.port);
    connection.send("GET /health HTTP/1.1\r\nhost: gateway\r\n");
    expect(await connection.ended).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it("closes a connection that says nothing within HEADERS_TIMEOUT_MS", async () => {
    const connection = rawConnection(gateway.port);
    expect(await connection.ended).toBe("");
  });

  it("answers 408 to a request whose body does not arrive in REQUEST_TIMEOUT_MS", async () => {
    const connection = rawConnection(gateway.port);
    connection.send(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer ${gateway.key}\r\n` +
        'content-type: application/json\r\ncontent-length: 100\r\n\r\n{"model":',
    );
    expect(await connection.ended).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(upstream.chatRequests).toHaveLength(0);
  });

  it("closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS", async () => {
    const connection = rawConnection(gateway.port);
    connection.send("GET /health HTTP/1.1\r\nhost: gateway\r\n\r\n");
    const received = await connection.ended;
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received.match(/HTTP\/1\.1/g)).toHaveLength(1);
  });
});

describe("HTTP/2 connections", () => {
  const connect = () => {
    const session = http2.connect(gateway.url);
    session.on("error", () => {});
    return session;
  };
  const request = (session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: string) =>
    new Promise<{ status: number | undefined; body: string; rstCode: number | undefined }>((resolve) => {
      const stream = session.request(headers, { endStream: false });
      let status: number | undefined;
      let text = "";
      stream.on("response", (received) => {
        status = received[":status"];
      });
      stream.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      stream.on("error", () => {});
      stream.on("close", () => resolve({ status, body: text, rstCode: stream.rstCode }));
      // Without a body, the request starts one and never ends it.
      if (body === undefined) stream.write('{"model":');
      else stream.end(body);
    });

  it("tells clients HTTP2_MAX_CONCURRENT_STREAMS and refuses streams beyond it", async () => {
    upstream.enqueue({ kind: "reply", delayMs: 200 }, { kind: "reply", delayMs: 200 }, { kind: "reply", delayMs: 200 });
    const session = connect();
    const body = JSON.stringify({ model: "gpt-4o-mini", messages: messages(1) });
    const headers = {
      ":method": "POST",
      ":path": "/v1/chat/completions",
      authorization: `Bearer ${gateway.key}`,
      "content-type": "application/json",
    };
    // Sent at once, before the server's settings arrive, as a client that ignores them would.
    const answers = await Promise.all([1, 2, 3].map(() => request(session, headers, body)));
    expect(session.remoteSettings.maxConcurrentStreams).toBe(2);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, undefined]);
    expect(answers[2]?.rstCode).toBe(http2.constants.NGHTTP2_REFUSED_STREAM);
    session.close();
  });

  it("cancels a stream whose request body does not end within REQUEST_TIMEOUT_MS", async () => {
    const session = connect();
    const answer = await request(session, {
      ":method": "POST",
      ":path": "/v1/chat/completions",
      authorization: `Bearer ${gateway.key}`,
      "content-type": "application/json",
    });
    expect(answer.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(upstream.chatRequests).toHaveLength(0);
    session.close();
  });

  it("closes a connection with no stream running after HTTP2_IDLE_TIMEOUT_MS, never one whose stream runs", async () => {
    upstream.enqueue({ kind: "reply", text: "one two three four five six", chunkDelayMs: 150 });
    const session = connect();
    const goaway = new Promise<void>((resolve) => session.once("goaway", () => resolve()));
    // Longer than the idle time, with pauses between chunks shorter than it.
    const answer = await request(
      session,
      { ":method": "POST", ":path": "/v1/chat/completions", authorization: `Bearer ${gateway.key}` },
      JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: messages(1) }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.trim().endsWith("data: [DONE]")).toBe(true);
    await goaway;
    await new Promise<void>((resolve) => session.once("close", () => resolve()));
  });
});
