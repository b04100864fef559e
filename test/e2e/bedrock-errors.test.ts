import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type ServiceError, status } from "@grpc/grpc-js";
import OpenAI, { type APIError, type BadRequestError, type NotFoundError } from "openai";
import { describe, expect, it } from "vitest";
import { FAKE_AWS_CREDENTIALS } from "../fakes/fake-bedrock.js";
import { chunkFrame, eventFrame } from "../fakes/fake-bedrock-eventstream.js";
import { BEDROCK_HTTP_CLIENTS, rejection, startBedrockStack, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import type { GrpcMessage } from "../helpers/grpc-client.js";
import { wireEventStream } from "../helpers/wire-fixtures.js";

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const TITAN = "amazon.titan-text-express-v1";
const NOVA = "amazon.nova-lite-v1:0";
/** A model of each family, and how many frames of its stream carry the first word (`You `). */
const FAMILIES: [family: string, model: string, framesToFirstWord: number][] = [
  ["Claude", CLAUDE, 3],
  ["Titan", TITAN, 1],
  ["Converse", NOVA, 2],
];
const ask = (model: string, content = "hello") => ({ model, messages: [{ role: "user" as const, content }] });

// The same behaviour whichever exchange reaches Bedrock Runtime.
describe.each(BEDROCK_HTTP_CLIENTS)("Errors (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  /** Reads a whole stream; answers what arrived before it failed, and the failure. */
  async function readStream<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
    const items: T[] = [];
    try {
      for await (const item of stream) items.push(item);
    } catch (error) {
      return { items, error };
    }
    return { items, error: undefined };
  }

  const textOf = (chunks: OpenAI.ChatCompletionChunk[]) =>
    chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
  const grpcTextOf = (chunks: GrpcMessage[]) => chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join("");

  describe("Bedrock error answers reach both protocols with the right status", () => {
    const cases: [string, number, number, number][] = [
      ["ValidationException", 400, 400, status.INVALID_ARGUMENT],
      ["AccessDeniedException", 403, 403, status.PERMISSION_DENIED],
      ["ResourceNotFoundException", 404, 404, status.NOT_FOUND],
      ["ModelTimeoutException", 408, 504, status.DEADLINE_EXCEEDED],
      ["ThrottlingException", 429, 429, status.RESOURCE_EXHAUSTED],
      ["ServiceQuotaExceededException", 400, 429, status.RESOURCE_EXHAUSTED],
      ["ModelNotReadyException", 429, 503, status.UNAVAILABLE],
      ["ModelErrorException", 424, 502, status.INTERNAL],
      ["InternalServerException", 500, 502, status.INTERNAL],
      ["ServiceUnavailableException", 503, 503, status.UNAVAILABLE],
      ["UnrecognizedClientException", 403, 401, status.UNAUTHENTICATED],
    ];

    describe.each(FAMILIES)("%s", (_family, model) => {
      it.each(cases)(
        "%s (%d) is HTTP %d and gRPC code %d, tried once",
        async (errorType, upstream, httpStatus, grpcCode) => {
          const message = `${errorType} says no`;
          const behavior = { kind: "error" as const, status: upstream, errorType, message };
          stack.bedrock.enqueue(behavior, behavior);
          const viaHttp = await rejection<APIError>(stack.openai.chat.completions.create(ask(model)));
          expect(viaHttp).toBeInstanceOf(OpenAI.APIError);
          expect(viaHttp.status).toBe(httpStatus);
          expect(viaHttp.message).toContain(httpStatus === 401 ? "AWS credentials" : message);
          const viaGrpc = await rejection<ServiceError>(stack.grpc.create(ask(model)));
          expect(viaGrpc.code).toBe(grpcCode);
          expect(viaGrpc.details).toContain(grpcCode === status.UNAUTHENTICATED ? "AWS credentials" : message);
          expect(stack.bedrock.requests.map((request) => request.modelId)).toEqual([model, model]);
        },
      );
    });

    it("answers an unknown model with 404 model_not_found naming it", async () => {
      const error = await rejection<NotFoundError>(
        stack.openai.chat.completions.create(ask("anthropic.claude-unknown-v9:0")),
      );
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.code).toBe("model_not_found");
      expect(error.message).toContain("anthropic.claude-unknown-v9:0");
    });

    it("passes Bedrock's reason for a model that needs an inference profile", async () => {
      const error = await rejection<BadRequestError>(
        stack.openai.chat.completions.create(ask("anthropic.claude-sonnet-4-20250514-v1:0")),
      );
      expect(error.status).toBe(400);
      expect(error.message).toContain("Retry your request with the ID or ARN of an inference profile");
    });

    it("fails a stream that fails at once with the HTTP status, before any chunk", async () => {
      stack.bedrock.enqueue({ kind: "error", status: 429, errorType: "ThrottlingException", message: "Slow down." });
      const error = await rejection<APIError>(stack.openai.chat.completions.create({ ...ask(CLAUDE), stream: true }));
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    });

    it("fails at once when the first frame of a stream is an exception", async () => {
      stack.bedrock.enqueue({
        kind: "stream-exception",
        afterFrames: 0,
        exceptionType: "throttlingException",
        body: { message: "Too many tokens, please wait before trying again." },
      });
      const error = await rejection<APIError>(stack.openai.chat.completions.create({ ...ask(NOVA), stream: true }));
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error.message).toContain("Too many tokens");
    });
  });

  describe("errors inside a Bedrock stream end the caller's stream with the mapped error", () => {
    it("the recorded mid-stream throttling: text first, then the error event (HTTP)", async () => {
      stack.bedrock.enqueue({
        kind: "raw-stream",
        body: wireEventStream("bedrock/claude_stream_midstream_throttling.eventstream.b64"),
      });
      const stream = await stack.openai.chat.completions.create({ ...ask(CLAUDE), stream: true });
      const { items, error } = await readStream(stream);
      expect(textOf(items)).toBe("Tomorrow in Paris:");
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as Error).message).toContain("Too many tokens, please wait before trying again.");
    });

    it("the recorded mid-stream throttling: chunks, then RESOURCE_EXHAUSTED (gRPC)", async () => {
      stack.bedrock.enqueue({
        kind: "raw-stream",
        body: wireEventStream("bedrock/claude_stream_midstream_throttling.eventstream.b64"),
      });
      const { items, error } = await readStream<GrpcMessage>(stack.grpc.stream(ask(CLAUDE)));
      expect(grpcTextOf(items)).toBe("Tomorrow in Paris:");
      expect((error as ServiceError).code).toBe(status.RESOURCE_EXHAUSTED);
    });

    // Each recorded exception frame, after two good events of a Claude stream.
    const recorded = wireEventStream("bedrock/stream_exception_examples.eventstream.b64");
    const frames: Uint8Array[] = [];
    for (let offset = 0; offset < recorded.length; ) {
      const length = new DataView(recorded.buffer, recorded.byteOffset + offset).getUint32(0);
      frames.push(recorded.subarray(offset, offset + length));
      offset += length;
    }
    const expected: [string, number, string][] = [
      ["throttlingException", status.RESOURCE_EXHAUSTED, "Too many requests"],
      ["modelStreamErrorException", status.INTERNAL, "Internal server error"],
      ["internalServerException", status.INTERNAL, "unexpected error"],
      ["validationException", status.INVALID_ARGUMENT, "Input is too long"],
      ["modelTimeoutException", status.DEADLINE_EXCEEDED, "timed out"],
      ["serviceUnavailableException", status.UNAVAILABLE, "unable to process"],
      ["an unmodeled error frame", status.INTERNAL, "An internal error occurred."],
    ];

    it.each(expected.map((row, index) => [...row, index] as const))(
      "%s ends a gRPC stream with code %d",
      async (_name, code, text, index) => {
        const start = chunkFrame({
          type: "message_start",
          message: {
            id: "m",
            type: "message",
            role: "assistant",
            content: [],
            usage: { input_tokens: 3, output_tokens: 1 },
          },
        });
        const delta = chunkFrame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Par" } });
        const exception = frames[index] ?? new Uint8Array();
        stack.bedrock.enqueue({ kind: "raw-stream", body: Buffer.concat([start, delta, exception]) });
        const { items, error } = await readStream<GrpcMessage>(stack.grpc.stream(ask(CLAUDE)));
        expect(grpcTextOf(items)).toBe("Par");
        expect((error as ServiceError).code).toBe(code);
        expect((error as ServiceError).details).toContain(text);
      },
    );

    const midStream: [exceptionType: string, grpcCode: number, message: string][] = [
      ["throttlingException", status.RESOURCE_EXHAUSTED, "Too many tokens, please wait before trying again."],
      ["modelStreamErrorException", status.INTERNAL, "The model stream failed."],
      ["validationException", status.INVALID_ARGUMENT, "Input is too long for requested model."],
      ["serviceUnavailableException", status.UNAVAILABLE, "Bedrock is unable to process your request."],
    ];

    describe.each(FAMILIES)("%s", (_family, model, framesToFirstWord) => {
      it.each(midStream)(
        "a %s frame after the first word ends the stream through both protocols (gRPC code %d)",
        async (exceptionType, grpcCode, message) => {
          const exception = {
            kind: "stream-exception" as const,
            afterFrames: framesToFirstWord,
            exceptionType,
            body: { message },
          };
          stack.bedrock.enqueue(exception, exception);
          const viaHttp = await readStream(await stack.openai.chat.completions.create({ ...ask(model), stream: true }));
          expect(textOf(viaHttp.items)).toBe("You ");
          expect(viaHttp.items.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(false);
          expect(viaHttp.error).toBeInstanceOf(OpenAI.APIError);
          expect((viaHttp.error as Error).message).toContain(message);
          const viaGrpc = await readStream<GrpcMessage>(stack.grpc.stream(ask(model)));
          expect(grpcTextOf(viaGrpc.items)).toBe("You ");
          expect((viaGrpc.error as ServiceError).code).toBe(grpcCode);
          expect((viaGrpc.error as ServiceError).details).toContain(message);
        },
      );
    });

    it("an Anthropic error event inside the chunks (overloaded) is UNAVAILABLE", async () => {
      stack.bedrock.enqueue({
        kind: "claude-error-event",
        afterFrames: 3,
        errorType: "overloaded_error",
        message: "Overloaded",
      });
      const { items, error } = await readStream<GrpcMessage>(stack.grpc.stream(ask(CLAUDE)));
      expect(grpcTextOf(items)).toBe("You ");
      expect((error as ServiceError).code).toBe(status.UNAVAILABLE);
      expect((error as ServiceError).details).toContain("Overloaded");
    });

    it("a stream cut short before its stop reason is an error, not a short answer", async () => {
      stack.bedrock.enqueue({ kind: "truncated-stream", afterFrames: 4 }, { kind: "truncated-stream", afterFrames: 3 });
      const viaHttp = await readStream(await stack.openai.chat.completions.create({ ...ask(CLAUDE), stream: true }));
      expect(viaHttp.error).toBeInstanceOf(OpenAI.APIError);
      expect((viaHttp.error as Error).message).toContain("before the answer was complete");
      const viaGrpc = await readStream<GrpcMessage>(stack.grpc.stream(ask(NOVA)));
      expect((viaGrpc.error as ServiceError).code).toBe(status.INTERNAL);
    });

    it("ignores stream events it does not know", async () => {
      stack.bedrock.enqueue({
        kind: "raw-stream",
        body: Buffer.concat([
          eventFrame("messageStart", { role: "assistant" }),
          eventFrame("somethingNew", { value: 1 }),
          eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "fine" } }),
          eventFrame("messageStop", { stopReason: "end_turn" }),
        ]),
      });
      const chunks = await stack.grpc.collect(ask(NOVA));
      expect(grpcTextOf(chunks)).toBe("fine");
    });
  });

  describe("a caller that leaves aborts the upstream call", () => {
    it("over HTTP", async () => {
      stack.bedrock.enqueue({ kind: "reply", text: "one two three four five six", holdAfterFrames: 4 });
      const controller = new AbortController();
      const stream = await stack.openai.chat.completions.create(
        { ...ask(CLAUDE), stream: true },
        { signal: controller.signal },
      );
      let text = "";
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (text !== "") {
          controller.abort();
          break;
        }
      }
      expect(text).toBe("one ");
      await stack.bedrock.last().whenAborted;
      expect(stack.bedrock.last().aborted).toBe(true);
    });

    it("over gRPC", async () => {
      stack.bedrock.enqueue({ kind: "reply", text: "one two three four five six", holdAfterFrames: 3 });
      const call = stack.grpc.stream(ask(NOVA));
      const first = await new Promise<GrpcMessage>((resolve) => call.on("data", resolve));
      expect(first.choices[0].delta.role).toBe("assistant");
      call.on("error", () => {});
      call.cancel();
      await stack.bedrock.last().whenAborted;
      expect(stack.bedrock.last().aborted).toBe(true);
    });
  });

  describe("failures of the upstream connection", () => {
    it("a Bedrock that does not answer in time is a 504 / DEADLINE_EXCEEDED", async () => {
      const slow = await startBedrockStack({ bedrock: { httpClient }, config: { upstreamTimeoutMs: 200 } });
      try {
        slow.bedrock.enqueue({ kind: "hang" }, { kind: "hang" });
        const viaHttp = await rejection<APIError>(slow.openai.chat.completions.create(ask(CLAUDE)));
        expect(viaHttp.status).toBe(504);
        const viaGrpc = await rejection<ServiceError>(slow.grpc.collect(ask(NOVA)));
        expect(viaGrpc.code).toBe(status.DEADLINE_EXCEEDED);
        await slow.bedrock.last().whenAborted;
      } finally {
        await slow.close();
      }
    });

    describe("UPSTREAM_TIMEOUT_MS bounds how long Bedrock may stay silent, not how long it may talk", () => {
      const TIMEOUT_MS = 600;
      const patient = useBedrockStack({ bedrock: { httpClient }, config: { upstreamTimeoutMs: TIMEOUT_MS } });

      describe.each(FAMILIES)("%s", (_family, model, framesToFirstWord) => {
        it("a stream that stalls after its first word ends with the timeout error, and Bedrock is aborted", async () => {
          patient.bedrock.enqueue({ kind: "reply", holdAfterFrames: framesToFirstWord });
          const { items, error } = await readStream(
            await patient.openai.chat.completions.create({ ...ask(model), stream: true }),
          );
          expect(textOf(items)).toBe("You ");
          expect((error as APIError).type).toBe("timeout_error");
          await patient.bedrock.last().whenAborted;
          expect(patient.bedrock.last().aborted).toBe(true);
        });

        it("over gRPC the stall is DEADLINE_EXCEEDED", async () => {
          patient.bedrock.enqueue({ kind: "reply", holdAfterFrames: framesToFirstWord });
          const { items, error } = await readStream<GrpcMessage>(patient.grpc.stream(ask(model)));
          expect(grpcTextOf(items)).toBe("You ");
          expect((error as ServiceError).code).toBe(status.DEADLINE_EXCEEDED);
          await patient.bedrock.last().whenAborted;
        });

        it("a stream whose events each come in time completes though the whole takes longer", async () => {
          // 30 words, 40 ms before each frame: twice the timeout in all.
          const text = Array.from({ length: 30 }, (_, index) => `w${index}`).join(" ");
          patient.bedrock.enqueue({ kind: "reply", text, frameDelayMs: 40 });
          const { items, error } = await readStream(
            await patient.openai.chat.completions.create({ ...ask(model), stream: true }),
          );
          expect(error).toBeUndefined();
          expect(textOf(items)).toBe(text);
        });
      });
    });

    it("an unreachable Bedrock is a 502 / UNAVAILABLE", async () => {
      const closed = http.createServer();
      closed.listen(0, "127.0.0.1");
      await once(closed, "listening");
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const unreachable = await startBedrockStack({
        bedrock: { httpClient, runtimeEndpoint: `http://127.0.0.1:${port}` },
      });
      try {
        const viaHttp = await rejection<APIError>(unreachable.openai.chat.completions.create(ask(CLAUDE)));
        expect(viaHttp.status).toBe(502);
        expect(viaHttp.message).toContain("Could not reach Bedrock");
        const viaGrpc = await rejection<ServiceError>(unreachable.grpc.create(ask(NOVA)));
        expect(viaGrpc.code).toBe(status.UNAVAILABLE);
      } finally {
        await unreachable.close();
      }
    });

    it("credentials Bedrock refuses are the server's fault: 401 upstream_authentication, no secret shown", async () => {
      const wrongSecret = "wrongSecretAccessKey/0123456789abcdefghijklmn";
      const refused = await startBedrockStack({
        bedrock: {
          httpClient,
          credentials: { accessKeyId: FAKE_AWS_CREDENTIALS.accessKeyId, secretAccessKey: wrongSecret },
        },
      });
      try {
        const viaHttp = await rejection<APIError>(refused.openai.chat.completions.create(ask(CLAUDE)));
        expect(viaHttp.status).toBe(401);
        expect(viaHttp.code).toBe("upstream_authentication");
        expect(viaHttp.message).toContain("signature we calculated does not match");
        const viaGrpc = await rejection<ServiceError>(refused.grpc.create(ask(NOVA)));
        expect(viaGrpc.code).toBe(status.UNAUTHENTICATED);
        for (const text of [viaHttp.message, viaGrpc.details, refused.gateway.logText()]) {
          expect(text).not.toContain(wrongSecret);
          expect(text).not.toMatch(/Signature=[0-9a-f]{16}/);
        }
      } finally {
        await refused.close();
      }
    });
  });

  describe("secrets", () => {
    it("never appear in the server's logs", () => {
      const logs = stack.gateway.logText();
      expect(logs.length).toBeGreaterThan(0);
      expect(logs).not.toContain(FAKE_AWS_CREDENTIALS.secretAccessKey);
      expect(logs).not.toMatch(/Signature=[0-9a-f]{16}/);
    });
  });
});
