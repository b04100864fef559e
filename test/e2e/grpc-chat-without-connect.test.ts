/**
 * ChatService's chat calls over gRPC are served without Connect's per-call
 * machinery (src/transport/connect/lean-grpc-chat.ts). The gRPC tests show
 * the calls, errors, deadlines and cancellation; these show the rules of
 * the protocol that path keeps by itself: compressed requests, compressions
 * it does not know, trailers-only failures, malformed frames and timeouts.
 */
import { gzipSync } from "node:zlib";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import * as grpc from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema, ChatCompletionResponseSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import { useOpenAIGateway } from "../helpers/gateway.js";
import { createGrpcChatClient } from "../helpers/grpc-client.js";
import { frame, rawGrpcCall } from "../helpers/raw-grpc.js";

const setup = useOpenAIGateway();
const hello = { model: "gpt-4o-mini", messages: [{ role: "user", content: "squeeze me" }] };
const request = toBinary(ChatCompletionRequestSchema, create(ChatCompletionRequestSchema, hello));
const CREATE = "/openbedrock.v1.ChatService/CreateChatCompletion";

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error("the call succeeded");
}

describe("gRPC chat calls served without Connect", () => {
  it("answers requests grpc-js compresses with gzip, unary and streaming", async () => {
    const client = createGrpcChatClient(setup.gateway.url, setup.gateway.key, grpc.credentials.createInsecure(), {
      "grpc.default_compression_algorithm": grpc.compressionAlgorithms.gzip,
    });
    try {
      const answer = await client.create(hello);
      expect(answer.choices[0].message.content).toBe("You said: squeeze me");
      const chunks = await client.collect(hello);
      expect(chunks.map((chunk) => chunk.choices?.[0]?.delta.content ?? "").join("")).toBe("You said: squeeze me");
    } finally {
      client.close();
    }
  });

  it("refuses a compression it does not take with UNIMPLEMENTED (grpc-js' deflate)", async () => {
    const client = createGrpcChatClient(setup.gateway.url, setup.gateway.key, grpc.credentials.createInsecure(), {
      "grpc.default_compression_algorithm": grpc.compressionAlgorithms.deflate,
    });
    try {
      const error = await failure(client.create(hello));
      expect(error.code).toBe(status.UNIMPLEMENTED);
      expect(error.details).toContain('unknown compression "deflate"');
      expect(error.metadata.get("grpc-accept-encoding")).toEqual(["gzip,br"]);
      expect(setup.upstream.chatRequests).toHaveLength(0);
    } finally {
      client.close();
    }
  });

  it("decompresses a gzip frame sent by hand, and answers uncompressed, naming what it takes", async () => {
    const answer = await rawGrpcCall(
      setup.gateway.url,
      CREATE,
      request,
      { authorization: `Bearer ${setup.gateway.key}`, "grpc-encoding": "gzip", "x-request-id": "grpc-lean-1" },
      frame(gzipSync(request), 1),
    );
    expect(answer.headers[":status"]).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/grpc");
    expect(answer.headers["grpc-accept-encoding"]).toBe("gzip,br");
    expect(answer.headers["grpc-encoding"]).toBeUndefined();
    expect(answer.headers["x-request-id"]).toBe("grpc-lean-1");
    expect(answer.trailers["grpc-status"]).toBe("0");
    expect(answer.messages).toHaveLength(1);
    const response = fromBinary(ChatCompletionResponseSchema, answer.messages[0] as Buffer);
    expect(response.choices[0]?.message?.content).toBe("You said: squeeze me");
  });

  it("takes a deadline longer than a timer can hold (99999999H) as no deadline, not as one passed", async () => {
    const answer = await rawGrpcCall(setup.gateway.url, CREATE, request, {
      authorization: `Bearer ${setup.gateway.key}`,
      "grpc-timeout": "99999999H",
    });
    expect(answer.trailers["grpc-status"]).toBe("0");
    expect(answer.messages).toHaveLength(1);
  });

  it("sends a failure before any answer as trailers-only: the status in the headers, no body, no trailers", async () => {
    const answer = await rawGrpcCall(setup.gateway.url, CREATE, request, {
      authorization: "Bearer not-the-key",
      "x-request-id": "grpc-lean-2",
    });
    expect(answer.headers[":status"]).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/grpc");
    expect(answer.headers["grpc-status"]).toBe(String(status.UNAUTHENTICATED));
    expect(answer.headers["grpc-message"]).toBeTruthy();
    expect(answer.headers["x-request-id"]).toBe("grpc-lean-2");
    expect(answer.trailers).toEqual({});
    expect(answer.messages).toHaveLength(0);
  });

  it.each([
    ["a frame flagged compressed without a grpc-encoding", {}, frame(request, 1), status.INTERNAL],
    ["a frame shorter than its length says", {}, frame(request, 0).subarray(0, 10), status.INVALID_ARGUMENT],
    [
      "two messages for a unary call",
      {},
      Buffer.concat([frame(request, 0), frame(request, 0)]),
      status.INVALID_ARGUMENT,
    ],
    ["gzip-encoded bytes that are not gzip", { "grpc-encoding": "gzip" }, frame(request, 1), status.INVALID_ARGUMENT],
    ["a malformed grpc-timeout", { "grpc-timeout": "soon" }, frame(request, 0), status.INVALID_ARGUMENT],
  ])("answers %s with a gRPC status and calls no upstream", async (_name, headers, body, code) => {
    const answer = await rawGrpcCall(
      setup.gateway.url,
      CREATE,
      request,
      { authorization: `Bearer ${setup.gateway.key}`, ...headers },
      body,
    );
    expect(answer.headers[":status"]).toBe(200);
    expect(answer.headers["grpc-status"] ?? answer.trailers["grpc-status"]).toBe(String(code));
    expect(setup.upstream.chatRequests).toHaveLength(0);
  });

  it("refuses a compressed message that inflates past the size limit with RESOURCE_EXHAUSTED", async () => {
    const big = toBinary(
      ChatCompletionRequestSchema,
      create(ChatCompletionRequestSchema, {
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "a".repeat(setup.gateway.config.limits.maxBodyBytes + 10) }],
      }),
    );
    const answer = await rawGrpcCall(
      setup.gateway.url,
      CREATE,
      request,
      { authorization: `Bearer ${setup.gateway.key}`, "grpc-encoding": "gzip" },
      frame(gzipSync(big), 1),
    );
    expect(answer.headers["grpc-status"] ?? answer.trailers["grpc-status"]).toBe(String(status.RESOURCE_EXHAUSTED));
    expect(setup.upstream.chatRequests).toHaveLength(0);
  });
});
