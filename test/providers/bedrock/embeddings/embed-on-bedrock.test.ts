import { create, type MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CreateEmbeddingsRequest,
  CreateEmbeddingsRequestSchema,
} from "../../../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError, RateLimitError, UpstreamError } from "../../../../src/core/errors.js";
import type { BedrockExchange } from "../../../../src/providers/bedrock/bedrock-exchange.js";
import {
  EMBEDDING_CONCURRENCY,
  embedOnBedrock,
} from "../../../../src/providers/bedrock/embeddings/embed-on-bedrock.js";
import { anyText } from "../../../arbitraries/text.js";

/** A Titan-like vector that says which text it embeds. */
const vectorOf = (text: string) => [text.length, text.charCodeAt(0) || 0];
const wordsOf = (text: string) => text.split(" ").length;

/**
 * An exchange whose InvokeModel answers as Titan Text does, each answer held
 * until the test releases it, so the test decides the order calls finish in.
 */
class HeldExchange {
  readonly waiting: { body: { inputText: string }; release: () => void }[] = [];
  readonly bodies: unknown[] = [];
  most = 0;
  #running = 0;

  readonly exchange = {
    invoke: (_modelId: string, body: unknown, signal: AbortSignal) =>
      new Promise<unknown>((resolve, reject) => {
        const titan = body as { inputText: string };
        this.bodies.push(body);
        this.#running += 1;
        this.most = Math.max(this.most, this.#running);
        const done = () => {
          this.#running -= 1;
        };
        this.waiting.push({
          body: titan,
          release: () => {
            done();
            resolve({ embedding: vectorOf(titan.inputText), inputTextTokenCount: wordsOf(titan.inputText) });
          },
        });
        signal.addEventListener("abort", () => {
          done();
          reject(signal.reason);
        });
      }),
  } as unknown as BedrockExchange;

  release(pick: number): void {
    const [held] = this.waiting.splice(pick % this.waiting.length, 1);
    held?.release();
  }
}

type RequestInit = Exclude<MessageInitShape<typeof CreateEmbeddingsRequestSchema>, CreateEmbeddingsRequest>;
const request = (init: Partial<RequestInit>) => create(CreateEmbeddingsRequestSchema, { model: "m", ...init });
const call = (modelId = "amazon.titan-embed-text-v2:0", signal = new AbortController().signal) => ({ modelId, signal });
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("embedOnBedrock", () => {
  it("answers any list of inputs in input order, whatever order the concurrent calls finish in", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyText(20, 1), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.infiniteStream(fc.nat()),
        async (texts, concurrency, picks) => {
          const held = new HeldExchange();
          const answer = embedOnBedrock(held.exchange, request({ input: texts }), call(), concurrency);
          for (let released = 0; released < texts.length; released += 1) {
            await settled();
            held.release(picks.next().value);
          }
          const response = await answer;
          expect(response.data.map((item) => item.index)).toEqual(texts.map((_, index) => index));
          expect(response.data.map((item) => item.embedding)).toEqual(texts.map(vectorOf));
          const tokens = texts.reduce((sum, text) => sum + wordsOf(text), 0);
          expect(response.usage).toMatchObject({ promptTokens: tokens, totalTokens: tokens });
          expect(response.model).toBe("amazon.titan-embed-text-v2:0");
          expect(held.most).toBeLessThanOrEqual(concurrency);
          expect(held.bodies).toHaveLength(texts.length);
        },
      ),
    );
  });

  it("runs EMBEDDING_CONCURRENCY calls at a time by default", async () => {
    const held = new HeldExchange();
    const texts = Array.from({ length: EMBEDDING_CONCURRENCY * 2 }, (_, index) => `text ${index}`);
    const answer = embedOnBedrock(held.exchange, request({ input: texts }), call());
    await settled();
    expect(held.waiting).toHaveLength(EMBEDDING_CONCURRENCY);
    while (held.waiting.length > 0) {
      held.release(0);
      await settled();
    }
    expect((await answer).data).toHaveLength(texts.length);
  });

  it("fails with the first failing call and aborts the others", async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const exchange = {
      invoke: (_modelId: string, _body: unknown, signal: AbortSignal) => {
        signals.push(signal);
        calls += 1;
        if (calls === 2) return Promise.reject(new RateLimitError("slow down"));
        return new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      },
    } as unknown as BedrockExchange;
    const failure = await embedOnBedrock(exchange, request({ input: ["a", "b", "c", "d"] }), call(), 3).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(calls).toBe(3);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it("refuses chat models and ARNs that reveal no model, naming the model", async () => {
    const never = {} as BedrockExchange;
    for (const modelId of [
      "anthropic.claude-3-haiku-20240307-v1:0",
      "arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc",
    ]) {
      const failure = await embedOnBedrock(never, request({ input: ["x"] }), call(modelId)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(InvalidRequestError);
      expect((failure as InvalidRequestError).param).toBe("model");
      expect((failure as InvalidRequestError).message).toContain(modelId);
    }
  });

  it("refuses a field this server does not name, unless its value is neutral, before any call", async () => {
    const never = {} as BedrockExchange;
    const failure = await embedOnBedrock(
      never,
      request({ input: ["x"], extensions: { neutral: null, empty: "", priority: "low" } }),
      call(),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InvalidRequestError);
    expect(failure).toMatchObject({ param: "priority", code: "unsupported_parameter" });
    const held = new HeldExchange();
    const answer = embedOnBedrock(held.exchange, request({ input: ["x"], extensions: { off: false } }), call());
    await settled();
    held.release(0);
    expect((await answer).data).toHaveLength(1);
  });

  it("reports an answer without one vector per input as Bedrock's failure", async () => {
    const exchange = { invoke: async () => ({ embeddings: [[1], [2]], id: "x", response_type: "embeddings_floats" }) };
    const failure = await embedOnBedrock(
      exchange as unknown as BedrockExchange,
      request({ input: ["only one"] }),
      call("cohere.embed-english-v3"),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamError);
  });
});
