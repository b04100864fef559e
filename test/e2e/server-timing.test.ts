/**
 * `server-timing` (`gateway;dur=…, upstream;dur=…`): the time the gateway
 * spent on a call apart from waiting for the upstream, as real clients read
 * it: a response header of HTTP answers, a trailer of SSE streams, gRPC
 * trailer metadata (grpc-js), and Connect's and gRPC-Web's trailers. The
 * fake upstream waits before answering, so the upstream part is at least
 * that long; the two parts together are never more than the client waited.
 */
import http from "node:http";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatService } from "../../gen/openbedrock/v1/chat_pb.js";
import { useOpenAIGateway } from "../helpers/gateway.js";
import { type GrpcMessage, grpcTarget, keyMetadata, loadProto } from "../helpers/grpc-client.js";

const setup = useOpenAIGateway();
const UPSTREAM_DELAY_MS = 60;
const hello = { model: "gpt-4o-mini", messages: [{ role: "user", content: "time me" }] };
const SERVER_TIMING = /^gateway;dur=(\d+\.\d{2}), upstream;dur=(\d+\.\d{2})$/;

/** The two durations of a `server-timing` value, checked against what the client saw. */
function durations(value: string | null | undefined, clientMs: number) {
  const match = SERVER_TIMING.exec(value ?? "");
  expect(match, `server-timing: ${value}`).not.toBeNull();
  const gateway = Number(match?.[1]);
  const upstream = Number(match?.[2]);
  expect(upstream).toBeGreaterThanOrEqual(UPSTREAM_DELAY_MS);
  // Both clocks are this machine's: the server's part of the call cannot outlast the client's wait.
  expect(gateway + upstream).toBeLessThanOrEqual(clientMs + 0.01);
  return { gateway, upstream };
}

function post(
  body: unknown,
  path = "/v1/chat/completions",
): Promise<{ response: http.IncomingMessage; text: string; ms: number }> {
  const url = new URL(path, setup.gateway.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${setup.gateway.key}` },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ response, text, ms: performance.now() - started }));
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

describe("server-timing", () => {
  it("comes with an HTTP answer as a response header", async () => {
    setup.upstream.enqueue({ kind: "reply", delayMs: UPSTREAM_DELAY_MS });
    const { response, ms } = await post(hello);
    expect(response.statusCode).toBe(200);
    durations(response.headers["server-timing"] as string | undefined, ms);
  });

  it("follows an SSE stream as a trailer, declared in its headers", async () => {
    setup.upstream.enqueue({ kind: "reply", delayMs: UPSTREAM_DELAY_MS, chunkDelayMs: 5 });
    const { response, text, ms } = await post({ ...hello, stream: true });
    expect(response.headers.trailer).toBe("server-timing");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    durations(response.trailers["server-timing"], ms);
  });

  it("comes with Anthropic's Messages API too: a header of the answer, a trailer of the stream", async () => {
    const message = { model: "gpt-4o-mini", max_tokens: 64, messages: [{ role: "user", content: "time me" }] };
    setup.upstream.enqueue({ kind: "reply", delayMs: UPSTREAM_DELAY_MS });
    const unary = await post(message, "/v1/messages");
    expect(unary.response.statusCode).toBe(200);
    durations(unary.response.headers["server-timing"] as string | undefined, unary.ms);

    setup.upstream.enqueue({ kind: "reply", delayMs: UPSTREAM_DELAY_MS, chunkDelayMs: 5 });
    const streamed = await post({ ...message, stream: true }, "/v1/messages");
    expect(streamed.response.headers.trailer).toBe("server-timing");
    expect(streamed.text).toContain("event: message_stop");
    durations(streamed.response.trailers["server-timing"], streamed.ms);
  });

  describe("over gRPC (grpc-js)", () => {
    const loaded = loadProto<{ openbedrock: { v1: { ChatService: grpc.ServiceClientConstructor } } }>(
      "openbedrock/v1/chat.proto",
    );
    let client: grpc.Client & Record<"CreateChatCompletion" | "StreamChatCompletion", (...args: unknown[]) => unknown>;
    beforeAll(() => {
      client = new loaded.openbedrock.v1.ChatService(
        grpcTarget(setup.gateway.url),
        grpc.credentials.createInsecure(),
      ) as unknown as typeof client;
    });
    afterAll(() => client?.close());

    it("is in the trailer metadata of a unary call", async () => {
      setup.upstream.enqueue({ kind: "reply", delayMs: UPSTREAM_DELAY_MS });
      const started = performance.now();
      const status = await new Promise<grpc.StatusObject>((resolve, reject) => {
        const call = client.CreateChatCompletion(
          hello,
          keyMetadata(setup.gateway.key),
          (error: Error | null, answer: GrpcMessage) => {
            if (error) reject(error);
            else expect(answer.choices[0].message.content).toBe("You said: time me");
          },
        ) as grpc.ClientUnaryCall;
        call.on("status", resolve);
      });
      expect(status.code).toBe(grpc.status.OK);
      durations(status.metadata.get("server-timing")[0]?.toString(), performance.now() - started);
    });

    it("is in the trailer metadata of a stream, after its last message", async () => {
      setup.upstream.enqueue({ kind: "reply", delayMs: UPSTREAM_DELAY_MS, chunkDelayMs: 5 });
      const started = performance.now();
      const call = client.StreamChatCompletion(
        hello,
        keyMetadata(setup.gateway.key),
      ) as grpc.ClientReadableStream<GrpcMessage>;
      const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
      let text = "";
      for await (const chunk of call) text += (chunk as GrpcMessage).choices?.[0]?.delta?.content ?? "";
      expect(text).toBe("You said: time me");
      const { code, metadata } = await status;
      expect(code).toBe(grpc.status.OK);
      durations(metadata.get("server-timing")[0]?.toString(), performance.now() - started);
    });
  });

  it.each([
    ["Connect", createConnectTransport],
    ["gRPC-Web", createGrpcWebTransport],
  ])("is in the trailers of a %s call", async (_name, transport) => {
    setup.upstream.enqueue({ kind: "reply", delayMs: UPSTREAM_DELAY_MS });
    const rpc = createClient(ChatService, transport({ baseUrl: setup.gateway.url, httpVersion: "1.1" }));
    let trailer: string | null = null;
    const started = performance.now();
    const answer = await rpc.createChatCompletion(hello, {
      headers: { authorization: `Bearer ${setup.gateway.key}` },
      onTrailer: (trailers) => {
        trailer = trailers.get("server-timing");
      },
    });
    expect(answer.choices[0]?.message?.content).toBe("You said: time me");
    durations(trailer, performance.now() - started);
  });
});
