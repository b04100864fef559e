import { create, toBinary } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import { useOpenAIGateway } from "../helpers/gateway.js";
import { createGrpcChatClient, type GrpcChatClient } from "../helpers/grpc-client.js";
import { rawGrpcCall } from "../helpers/raw-grpc.js";

const setup = useOpenAIGateway();
let grpc: GrpcChatClient;

beforeAll(() => {
  grpc = createGrpcChatClient(setup.gateway.url, setup.gateway.key);
});

afterAll(() => grpc?.close());

const hello = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi from grpc" }] };

async function grpcError(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error("the call succeeded");
}

describe("gRPC (grpc-js over h2c) on the port that serves HTTP/1.1", () => {
  it("answers HTTP/1.1 and then gRPC on the same port", async () => {
    const health = await fetch(`${setup.gateway.url}/health`);
    expect(health.status).toBe(200);
    const answer = await grpc.create(hello);
    expect(answer.choices[0].message.content).toBe("You said: hi from grpc");
    expect(answer.choices[0].finish_reason).toBe("stop");
    expect(answer.usage.total_tokens).toBeGreaterThan(0);
    expect(answer.id).toMatch(/^chatcmpl-/);
  });

  it("streams chunks with the role first and the text in order", async () => {
    const chunks = await grpc.collect({ ...hello, stream_options: { include_usage: true } });
    expect(chunks[0]?.choices[0].delta.role).toBe("assistant");
    const text = chunks.map((chunk) => chunk.choices?.[0]?.delta.content ?? "").join("");
    expect(text).toBe("You said: hi from grpc");
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)?.choices ?? []).toEqual([]);
    expect(chunks.at(-1)?.usage.completion_tokens).toBe(5);
  });

  it("leaves usage out of the stream unless include_usage asks for it", async () => {
    const chunks = await grpc.collect(hello);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(setup.upstream.lastChatBody().stream_options).toEqual({ include_usage: true });
  });

  it("lists the models", async () => {
    const list = await grpc.listModels();
    expect(list.data.map((model: { id: string }) => model.id)).toEqual(["gpt-4o-mini", "gpt-4o"]);
  });

  it("refuses calls without a key or with a wrong key", async () => {
    expect((await grpcError(grpc.create(hello, { key: null }))).code).toBe(status.UNAUTHENTICATED);
    expect((await grpcError(grpc.create(hello, { key: "wrong" }))).code).toBe(status.UNAUTHENTICATED);
    expect((await grpcError(grpc.listModels({ key: "wrong" }))).code).toBe(status.UNAUTHENTICATED);
    expect(setup.upstream.chatRequests).toHaveLength(0);
  });

  it("answers INVALID_ARGUMENT for a bad request", async () => {
    const error = await grpcError(grpc.create({ model: "gpt-4o-mini", messages: [{ role: "wizard", content: "x" }] }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain("messages.[0].role");
    const empty = await grpcError(grpc.create({ model: "gpt-4o-mini", messages: [] }));
    expect(empty.code).toBe(status.INVALID_ARGUMENT);
  });

  it("maps upstream errors to gRPC codes", async () => {
    setup.upstream.enqueue({
      kind: "error",
      status: 429,
      headers: { "retry-after": "3" },
      body: { error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } },
    });
    const limited = await grpcError(grpc.create(hello));
    expect(limited.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(limited.metadata.get("retry-after")).toEqual(["3"]);
    setup.upstream.enqueue({
      kind: "error",
      status: 404,
      body: {
        error: {
          message: "The model `nope` does not exist",
          type: "invalid_request_error",
          param: null,
          code: "model_not_found",
        },
      },
    });
    expect((await grpcError(grpc.create(hello))).code).toBe(status.NOT_FOUND);
  });

  it("sends error messages in gRPC's percent-encoding, which grpc-js reads back whole", async () => {
    const message = "Limit: 100% of tokens, per minute/key; café ☕ %2C";
    const error = { error: { message, type: "requests", param: null, code: "rate_limit_exceeded" } };
    setup.upstream.enqueue({ kind: "error", status: 429, body: error });
    expect((await grpcError(grpc.create(hello))).details).toContain(message);
    setup.upstream.enqueue({ kind: "midstream-error", afterChunks: 1, error });
    const midStream = await grpcError(
      (async () => {
        for await (const _ of grpc.stream(hello));
      })(),
    );
    expect(midStream.details).toContain(message);
  });

  it("answers FAILED_PRECONDITION for a provider that is not configured", async () => {
    const error = await grpcError(grpc.create({ ...hello, model: "anthropic.claude-3-haiku-20240307-v1:0" }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toContain("bedrock");
  });

  it("ends a stream with the error status when the upstream fails mid-stream", async () => {
    setup.upstream.enqueue({
      kind: "midstream-error",
      afterChunks: 2,
      error: { error: { message: "The server had an error", type: "server_error", param: null, code: null } },
    });
    const received: unknown[] = [];
    const error = await grpcError(
      (async () => {
        for await (const chunk of grpc.stream(hello)) received.push(chunk);
      })(),
    );
    expect(received).toHaveLength(2);
    expect(error.code).toBe(status.INTERNAL);
    expect(error.details).toContain("The server had an error");
  });

  it("aborts the upstream call when a grpc-js deadline passes", async () => {
    setup.upstream.enqueue({ kind: "hang" });
    const error = await grpcError(grpc.create(hello, { deadlineMs: 300 }));
    // grpc-js reports its own deadline whatever the server does; the server's part is the abort.
    expect(error.code).toBe(status.DEADLINE_EXCEEDED);
    await setup.upstream.chatRequests[0]?.whenAborted;
    expect(setup.upstream.chatRequests[0]?.aborted).toBe(true);
  });

  it("aborts the upstream stream when the client cancels", async () => {
    setup.upstream.enqueue({ kind: "reply", text: "one two three four five six seven eight", chunkDelayMs: 100 });
    const call = grpc.stream(hello);
    const ended = new Promise<ServiceError>((resolve) => call.once("error", resolve));
    await new Promise<void>((resolve) => call.once("data", () => resolve()));
    call.cancel();
    // CANCELLED comes from grpc-js itself; that the server gave up its upstream call is what it did.
    expect((await ended).code).toBe(status.CANCELLED);
    await setup.upstream.chatRequests[0]?.whenAborted;
    expect(setup.upstream.chatRequests[0]?.aborted).toBe(true);
  });
});

describe("the server keeps a gRPC deadline the client only announces (grpc-timeout, no client timer)", () => {
  const request = toBinary(
    ChatCompletionRequestSchema,
    create(ChatCompletionRequestSchema, { model: "gpt-4o-mini", messages: [{ role: "user", content: "slow please" }] }),
  );
  const call = (method: string) =>
    rawGrpcCall(setup.gateway.url, `/openbedrock.v1.ChatService/${method}`, request, {
      authorization: `Bearer ${setup.gateway.key}`,
      "grpc-timeout": "300m",
    });

  it("ends a unary call with DEADLINE_EXCEEDED and aborts the upstream call", async () => {
    setup.upstream.enqueue({ kind: "reply", delayMs: 60_000 });
    const answer = await call("CreateChatCompletion");
    // Nothing was sent before the deadline: the status may come trailers-only, in the headers.
    expect(answer.trailers["grpc-status"] ?? answer.headers["grpc-status"]).toBe(String(status.DEADLINE_EXCEEDED));
    expect(answer.messages).toHaveLength(0);
    await setup.upstream.chatRequests[0]?.whenAborted;
    expect(setup.upstream.chatRequests[0]?.aborted).toBe(true);
  });

  it("ends a stream with DEADLINE_EXCEEDED after the chunks sent in time and aborts the upstream stream", async () => {
    const words = Array.from({ length: 100 }, (_, index) => `word${index}`).join(" ");
    setup.upstream.enqueue({ kind: "reply", text: words, chunkDelayMs: 100 });
    const answer = await call("StreamChatCompletion");
    expect(answer.trailers["grpc-status"]).toBe(String(status.DEADLINE_EXCEEDED));
    expect(answer.messages.length).toBeLessThan(100);
    await setup.upstream.chatRequests[0]?.whenAborted;
    expect(setup.upstream.chatRequests[0]?.aborted).toBe(true);
  });
});
