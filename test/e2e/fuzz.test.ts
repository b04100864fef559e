/**
 * A bounded fuzz of the whole port: random and hostile JSON at every HTTP
 * route, bodies carrying every request feature (right or wrong) for every
 * model family, random bytes at the gRPC, gRPC-Web and Connect routes. Every
 * answer must be a proper one (an error in the route's own shape, never a
 * fault of the server), and the server must stay up and log no failure of
 * its own.
 */
import http2 from "node:http2";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatService } from "../../gen/openbedrock/v1/chat_pb.js";
import {
  featureChatBody,
  featureClaudeBody,
  featureEmbeddingsBody,
  featureRpcRequest,
} from "../arbitraries/feature-requests.js";
import { type BedrockStack, startBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import type { TestGateway } from "../helpers/gateway.js";

let upstream: FakeOpenAI;
let stack: BedrockStack;
let gateway: TestGateway;
let session: http2.ClientHttp2Session;

// Both providers, so bodies for Bedrock models reach Bedrock's converters and the fake's checks.
beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  stack = await startBedrockStack({ openaiBaseURL: upstream.baseURL, config: { logLevel: "info" } });
  gateway = stack.gateway;
  session = http2.connect(gateway.url);
  session.on("error", () => {});
});

afterAll(async () => {
  session?.close();
  await stack?.close();
  await upstream?.close();
});

/** Nested `depth` times: arrays, or objects under one key. */
const deeplyNested = fc
  .tuple(fc.integer({ min: 1000, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? "[".repeat(depth) + "]".repeat(depth) : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** JSON a hostile client might send: odd keys, deep nesting, huge numbers, broken text. */
const hostileJson = fc.oneof(
  fc.json({ maxDepth: 6 }),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  deeplyNested,
  deeplyNested.map(
    (nested) =>
      `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${nested.startsWith("[") ? `{"a":${nested}}` : nested}}}]}`,
  ),
  deeplyNested.map((nested) => `{"model":"gpt-4o-mini","messages":[{"role":"user","content":${nested}}]}`),
  // Fields the server does not name travel as they are: to OpenAI, or to Bedrock's refusal.
  deeplyNested.map(
    (nested) =>
      `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"a_field_from_next_year":${nested}}`,
  ),
  deeplyNested.map(
    (nested) =>
      `{"model":"us.anthropic.claude-sonnet-4-5-20250929-v1:0","messages":[{"role":"user","content":[{"type":"text","text":"hi","extra":${nested}}]}]}`,
  ),
  deeplyNested.map((nested) => `{"model":"text-embedding-3-small","input":"hi","a_field_from_next_year":${nested}}`),
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}',
    '{"constructor":{"prototype":{"x":1}},"messages":[]}',
    '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\\ud800"}],"max_tokens":1e400}',
    '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"temperature":-0,"n":9007199254740993}',
    '{"model":"\\u0000","messages":[{"role":"\\u0000","content":"\\u0000"}]}',
    '{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"file:///etc/passwd"}}]}],"model":"gpt-4o-mini"}',
    '{"model":"gpt-4o-mini","messages":{"length":5}}',
    '{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":"yes"},"messages":[{"role":"user","content":"x"}]}',
    '{"anthropic_version":"bedrock-2023-05-31","messages":[{"role":"user","content":[{"type":"tool_result"}]}]}',
    '{"inputText":{"nested":true},"textGenerationConfig":[]}',
    "\u0000\u0001\u0002",
    "{",
    "null",
    '"just a string"',
    "",
  ),
  fc.string({ maxLength: 200 }),
);

const ROUTES: { method: string; path: fc.Arbitrary<string> }[] = [
  {
    method: "POST",
    path: fc.constantFrom(
      "/v1/chat/completions",
      "/v1/chat/completions?target_format=bedrock_claude",
      "/v1/chat/completions?target_format=bedrock_titan",
      "/v1/chat/completions?target_format=%00",
      "/v1/embeddings",
      "/v1/messages",
      "/v1/messages?beta=true",
      "/v1/messages/count_tokens",
    ),
  },
  { method: "GET", path: fc.constant("/v1/models") },
  { method: "GET", path: fc.string({ maxLength: 40 }).map((id) => `/v1/models/${encodeURIComponent(id)}`) },
  { method: "GET", path: fc.constantFrom("/health", "/health/live", "/health/ready", "/metrics") },
  { method: "POST", path: fc.constantFrom("/health", "/v1/models", "/v1/nothing", "/metrics") },
  {
    method: "DELETE",
    path: fc.constantFrom("/v1/chat/completions", "/v1/embeddings", "/v1/models/gpt-4o", "/v1/messages"),
  },
];

const route = fc.constantFrom(...ROUTES).chain(({ method, path }) => path.map((p) => ({ method, path: p })));

/** True for the OpenAI error shape, or Bedrock's (`{"message"}`), or Anthropic's. */
function properError(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const { error, message } = body as { error?: { message?: unknown; type?: unknown }; message?: unknown };
  if (error && typeof error.message === "string" && typeof error.type === "string") return true;
  return typeof message === "string";
}

/**
 * A Connect or gRPC error, never a fault of the server: INTERNAL only for
 * bytes that are not the protobuf message (Connect reports them so, as
 * grpc-go does) and for a message flagged compressed without a compression
 * (the gRPC spec asks for INTERNAL).
 */
function expectProperRpcError(error: { code?: unknown; message?: unknown }): void {
  expect(typeof error.code, JSON.stringify(error)).toBe("string");
  expect(typeof error.message, JSON.stringify(error)).toBe("string");
  if (error.code === "internal") expect(error.message).toMatch(/^(parse binary: |received compressed envelope)/);
}

function serverFaults(): Record<string, unknown>[] {
  return gateway.logs.filter((line) => Number(line.level) >= 50 || line.status === 500);
}

describe("fuzz", () => {
  it("answers random and hostile JSON at every HTTP route with a proper answer", async () => {
    await fc.assert(
      fc.asyncProperty(route, hostileJson, async ({ method, path }, body) => {
        const response = await fetch(`${gateway.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
          ...(method === "GET" ? {} : { body }),
        });
        const text = await response.text();
        expect(response.status, text).not.toBe(500);
        expect(response.status, text).toBeLessThan(600);
        if (response.status >= 400) {
          expect(properError(JSON.parse(text)), text).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(serverFaults()).toEqual([]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });

  /** Bodies with the request features, each on the routes that read it. */
  const featureRequests = fc.oneof(
    featureChatBody.map((body) => ({ path: "/v1/chat/completions", body })),
    featureChatBody.map((body) => ({ path: "/v1/chat/completions?target_format=bedrock_claude", body })),
    featureClaudeBody.map((body) => ({ path: "/v1/chat/completions", body })),
    featureEmbeddingsBody.map((body) => ({ path: "/v1/embeddings", body })),
    // Anthropic's API: the same bodies, to Claude as they are and to every other model through the canonical request.
    featureClaudeBody.map((body) => ({ path: "/v1/messages", body })),
    featureClaudeBody.map((body) => ({ path: "/v1/messages/count_tokens", body })),
  );

  it("answers bodies carrying every request feature, right or wrong, for every model family, with a proper answer", async () => {
    await fc.assert(
      fc.asyncProperty(featureRequests, async ({ path, body }) => {
        const response = await fetch(`${gateway.url}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        // The fakes fail nothing unasked: a 5xx would be the server's fault, or an upstream it confused.
        expect(response.status, text).toBeLessThan(500);
        if (response.status >= 400) expect(properError(JSON.parse(text)), text).toBe(true);
        else if (body.stream === true) expect(text, text).not.toMatch(/"(server_error|api_error)"/);
      }),
      { numRuns: 400 },
    );
    expect(serverFaults()).toEqual([]);
  });

  it("answers ChatService requests carrying any feature value, unary and streamed, with an answer or a caller's error", async () => {
    const chat = createClient(ChatService, createGrpcTransport({ baseUrl: gateway.url }));
    const auth = { headers: { authorization: `Bearer ${gateway.key}` } };
    await fc.assert(
      fc.asyncProperty(featureRpcRequest, fc.boolean(), async (request, streamed) => {
        try {
          if (streamed) for await (const _chunk of chat.streamChatCompletion(request, auth));
          else await chat.createChatCompletion(request, auth);
        } catch (failure) {
          const error = ConnectError.from(failure);
          expect([Code.Internal, Code.Unknown, Code.Unavailable], error.message).not.toContain(error.code);
        }
      }),
      { numRuns: 300 },
    );
    expect(serverFaults()).toEqual([]);
  });

  const rpcPaths = fc.constantFrom(
    "/openbedrock.v1.ChatService/CreateChatCompletion",
    "/openbedrock.v1.ChatService/StreamChatCompletion",
    "/openbedrock.v1.ChatService/ListModels",
    "/openbedrock.v1.EmbeddingService/CreateEmbeddings",
    "/grpc.health.v1.Health/Check",
    "/grpc.health.v1.Health/Watch",
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
  );
  /** Random bytes, sometimes behind a gRPC envelope header that tells the truth or lies about the length. */
  const payload = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc
      .tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.uint8Array({ maxLength: 200 }),
      )
      .map(([flags, length, bytes]) => {
        const framed = Buffer.alloc(5 + bytes.length);
        framed[0] = flags;
        framed.writeUInt32BE(length, 1);
        framed.set(bytes, 5);
        return new Uint8Array(framed);
      }),
  );

  it("answers random bytes at the gRPC routes with a gRPC status, over HTTP/2", async () => {
    await fc.assert(
      fc.asyncProperty(
        rpcPaths,
        fc.constantFrom("application/grpc", "application/grpc+proto", "application/grpc+json"),
        payload,
        async (path, contentType, bytes) => {
          const answer = await new Promise<{ status: number | undefined; grpcStatus: unknown; grpcMessage: unknown }>(
            (resolve, reject) => {
              const stream = session.request({
                ":method": "POST",
                ":path": path,
                "content-type": contentType,
                te: "trailers",
                authorization: `Bearer ${gateway.key}`,
                "grpc-timeout": "5S",
              });
              let status: number | undefined;
              let grpcStatus: unknown;
              let grpcMessage: unknown;
              const read = (headers: http2.IncomingHttpHeaders) => {
                grpcStatus = headers["grpc-status"] ?? grpcStatus;
                grpcMessage = headers["grpc-message"] ?? grpcMessage;
              };
              stream.on("response", (headers) => {
                status = headers[":status"];
                read(headers);
              });
              stream.on("trailers", read);
              stream.on("data", () => {});
              stream.on("error", reject);
              stream.on("close", () => resolve({ status, grpcStatus, grpcMessage }));
              stream.end(bytes);
            },
          );
          expect(answer.status).toBe(200);
          expect(String(answer.grpcStatus)).toMatch(/^\d+$/);
          if (answer.grpcStatus !== "0") {
            const code = Number(answer.grpcStatus) === 13 ? "internal" : "other";
            expectProperRpcError({ code, message: decodeURIComponent(String(answer.grpcMessage ?? "")) });
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(serverFaults()).toEqual([]);
  });

  it("answers random bytes at the Connect and gRPC-Web routes with an error in their shape, over HTTP/1.1", async () => {
    await fc.assert(
      fc.asyncProperty(
        rpcPaths,
        fc.constantFrom(
          "application/json",
          "application/proto",
          "application/connect+json",
          "application/connect+proto",
          "application/grpc-web+proto",
          "application/grpc-web-text",
        ),
        payload,
        async (path, contentType, bytes) => {
          const response = await fetch(`${gateway.url}${path}`, {
            method: "POST",
            headers: { authorization: `Bearer ${gateway.key}`, "content-type": contentType },
            body: bytes,
          });
          const body = Buffer.from(await response.arrayBuffer());
          if (contentType === "application/json" || contentType === "application/proto") {
            // Connect unary: an error is a JSON object with a code and a message.
            if (response.status !== 200 && body.length === 0) {
              // Refused by the protocol itself: a bare 4xx (a streaming method asked for as unary),
              // or 505 (reflection's bidirectional stream needs HTTP/2).
              if (path.endsWith("/ServerReflectionInfo")) expect([415, 505]).toContain(response.status);
              else expect(response.status).toBeLessThan(500);
            } else if (response.status !== 200) {
              expectProperRpcError(JSON.parse(body.toString()));
            }
          } else if (contentType.startsWith("application/grpc-web")) {
            // gRPC-Web: the status travels in a header or in the trailer frame of the body.
            const status =
              response.headers.get("grpc-status") ?? /grpc-status:\s*(\d+)/.exec(body.toString("latin1"))?.[1];
            if (response.status === 200) expect(status ?? "", body.toString("latin1")).toMatch(/^\d+$/);
          } else if (response.status === 200) {
            // Connect streaming: the end-of-stream frame (flag 2) closes every answer.
            expect(body.includes(2), body.toString("latin1")).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(serverFaults()).toEqual([]);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });
});
