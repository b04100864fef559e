/**
 * Embeddings in front of OpenAI: the `openai` SDK's `embeddings.create`
 * (its default base64 and explicit floats), a raw HTTP client, grpc-js and
 * the Connect clients (Connect, gRPC-Web, gRPC), against the real server and
 * the fake OpenAI.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { type Metadata, type ServiceError, status } from "@grpc/grpc-js";
import OpenAI, { type BadRequestError, type NotFoundError, type RateLimitError } from "openai";
import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EmbeddingService } from "../../gen/openbedrock/v1/embedding_pb.js";
import { rejection } from "../fakes/fake-bedrock-stack.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { fakeOpenAIEmbedding, tokenInput } from "../fakes/fake-openai-embeddings.js";
import { startGateway, type TestGateway, useOpenAIGateway } from "../helpers/gateway.js";
import { createGrpcEmbeddingClient, type GrpcEmbeddingClient } from "../helpers/grpc-embedding-client.js";
import { protoStruct } from "../helpers/proto-struct.js";
import { RPC_TRANSPORTS } from "../helpers/rpc-transports.js";

const MODEL = "text-embedding-3-small";
const DIMENSIONS = 1536;

/** Little-endian float32s from base64, read here independently of the server's and the SDK's code. */
function decodeFloat32(base64: string): number[] {
  const bytes = Buffer.from(base64, "base64");
  return Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
}

// The same behaviour whichever exchange reaches the upstream.
describe.each(["undici", "sdk"] as const)("embeddings, OpenAI upstream through %s", (httpClient) => {
  let upstream: FakeOpenAI;
  let gateway: TestGateway;
  let client: OpenAI;
  let grpc: GrpcEmbeddingClient;

  beforeAll(async () => {
    upstream = new FakeOpenAI();
    await upstream.start();
    gateway = await startGateway({ openaiBaseURL: upstream.baseURL, openaiHttpClient: httpClient });
    client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    grpc = createGrpcEmbeddingClient(gateway.url, gateway.key);
  });

  afterAll(async () => {
    grpc?.close();
    await gateway?.close(100);
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  const post = (body: unknown, key: string | null = gateway.key) =>
    fetch(`${gateway.url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });

  describe("the openai SDK", () => {
    it("embeds a list with the SDK's default encoding (base64 both ways), one vector per input in order", async () => {
      const inputs = ["alpha", "beta gamma", "delta epsilon zeta"];
      const answer = await client.embeddings.create({ model: MODEL, input: inputs });
      expect(answer.object).toBe("list");
      expect(answer.model).toBe(MODEL);
      expect(answer.data.map((item) => item.index)).toEqual([0, 1, 2]);
      answer.data.forEach((item, index) => {
        expect(item.object).toBe("embedding");
        expect(item.embedding).toEqual(fakeOpenAIEmbedding(inputs[index] ?? "", DIMENSIONS));
      });
      expect(answer.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
      // The SDK asked the server for base64, and the server asked OpenAI the same.
      expect(upstream.embeddingsRequests[0]?.body).toEqual({ model: MODEL, input: inputs, encoding_format: "base64" });
    });

    it("answers numbers when the caller asks for floats, passing dimensions and user", async () => {
      const answer = await client.embeddings.create({
        model: MODEL,
        input: "one text",
        encoding_format: "float",
        dimensions: 256,
        user: "user-42",
      });
      expect(answer.data).toHaveLength(1);
      expect(answer.data[0]?.embedding).toEqual(fakeOpenAIEmbedding("one text", 256));
      expect(upstream.embeddingsRequests[0]?.body).toEqual({
        model: MODEL,
        input: ["one text"],
        encoding_format: "base64",
        dimensions: 256,
        user: "user-42",
      });
    });

    it("sends the fields this server does not name to OpenAI as the caller sent them, its own extensions not", async () => {
      const future = { a_field_from_next_year: { nested: [1, null, "x"] }, priority: "low" };
      const body = { model: MODEL, input: "new fields", input_type: "search_query", ...future };
      await client.embeddings.create(body as EmbeddingCreateParams);
      expect(upstream.embeddingsRequests[0]?.body).toEqual({
        model: MODEL,
        input: ["new fields"],
        encoding_format: "base64",
        ...future,
      });
    });

    it("passes token arrays through, flat or nested", async () => {
      const nested = await client.embeddings.create({
        model: MODEL,
        input: [
          [1, 2, 3],
          [4, 5],
        ],
        encoding_format: "float",
      });
      expect(nested.data.map((item) => item.embedding)).toEqual([
        fakeOpenAIEmbedding(tokenInput([1, 2, 3]), DIMENSIONS),
        fakeOpenAIEmbedding(tokenInput([4, 5]), DIMENSIONS),
      ]);
      const flat = await client.embeddings.create({ model: MODEL, input: [7, 8, 9] });
      expect(flat.data.map((item) => item.embedding)).toEqual([fakeOpenAIEmbedding(tokenInput([7, 8, 9]), DIMENSIONS)]);
      expect(upstream.embeddingsRequests.map((request) => request.body?.input)).toEqual([
        [
          [1, 2, 3],
          [4, 5],
        ],
        [[7, 8, 9]],
      ]);
    });

    it("passes OpenAI's refusals on with their status and message", async () => {
      const dimensions = await rejection<BadRequestError>(
        client.embeddings.create({ model: "text-embedding-ada-002", input: "x", dimensions: 8 }),
      );
      expect(dimensions).toBeInstanceOf(OpenAI.BadRequestError);
      expect(dimensions.message).toContain("This model does not support specifying dimensions.");
      const missing = await rejection<NotFoundError>(
        client.embeddings.create({ model: "text-embedding-9", input: "x" }),
      );
      expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
      expect(missing.message).toContain("text-embedding-9");
    });

    it("answers OpenAI's throttling as a 429 with its retry-after", async () => {
      upstream.enqueue({
        kind: "error",
        status: 429,
        body: {
          error: {
            message: "Rate limit reached for text-embedding-3-small",
            type: "requests",
            code: "rate_limit_exceeded",
          },
        },
        headers: { "retry-after": "7" },
      });
      const throttled = await rejection<RateLimitError>(client.embeddings.create({ model: MODEL, input: "x" }));
      expect(throttled).toBeInstanceOf(OpenAI.RateLimitError);
      expect(throttled.headers?.get("retry-after")).toBe("7");
      expect(throttled.message).toContain("Rate limit reached");
    });

    it("refuses a chat model for embeddings, and an embedding model for chat, sending nothing", async () => {
      const chatModel = await rejection<BadRequestError>(client.embeddings.create({ model: "gpt-4o", input: "x" }));
      expect(chatModel).toBeInstanceOf(OpenAI.BadRequestError);
      expect(chatModel.param).toBe("model");
      expect(chatModel.message).toContain("'gpt-4o' is not an embedding model");
      const embeddingModel = await rejection<BadRequestError>(
        client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] }),
      );
      expect(embeddingModel).toBeInstanceOf(OpenAI.BadRequestError);
      expect(embeddingModel.message).toContain(`'${MODEL}' makes embeddings, not chat completions`);
      const streamed = await rejection<BadRequestError>(
        (async () => {
          const stream = await client.chat.completions.create({
            model: MODEL,
            messages: [{ role: "user", content: "hi" }],
            stream: true,
          });
          for await (const _chunk of stream) {
            // never reached
          }
        })(),
      );
      expect(streamed).toBeInstanceOf(OpenAI.BadRequestError);
      expect(upstream.requests).toHaveLength(0);
    });
  });

  describe("the HTTP shape", () => {
    it("is OpenAI's, with base64 as little-endian float32 bytes", async () => {
      const response = await post({ model: MODEL, input: ["first", "second"], encoding_format: "base64" });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: { object: string; index: number; embedding: string }[] };
      expect(Object.keys(body).sort()).toEqual(["data", "model", "object", "usage"]);
      expect(body.data.map((item) => Object.keys(item).sort())).toEqual([
        ["embedding", "index", "object"],
        ["embedding", "index", "object"],
      ]);
      expect(body.data.map((item) => decodeFloat32(item.embedding))).toEqual([
        fakeOpenAIEmbedding("first", DIMENSIONS),
        fakeOpenAIEmbedding("second", DIMENSIONS),
      ]);
    });

    it.each([
      ["no input", { model: MODEL }, "input", "Missing required parameter: 'input'."],
      ["no model", { input: "x" }, "model", "Missing required parameter: 'model'."],
      ["an empty list", { model: MODEL, input: [] }, "input", "'input' must contain at least one input."],
      ["an empty text", { model: MODEL, input: ["a", ""] }, "input.[1]", "an input must not be empty"],
      [
        "objects as input",
        { model: MODEL, input: [{ text: "a" }] },
        "input.[0]",
        "expected a string, an array of strings",
      ],
      ["mixed token lists", { model: MODEL, input: [[1], "a"] }, "input.[1]", "array of arrays of token ids"],
      ["an unknown encoding", { model: MODEL, input: "x", encoding_format: "hex" }, "encoding_format", "'hex'"],
      ["a fractional dimensions", { model: MODEL, input: "x", dimensions: 1.5 }, "dimensions", "an integer"],
      ["zero dimensions", { model: MODEL, input: "x", dimensions: 0 }, "dimensions", "at least 1"],
      ["an unknown input_type", { model: MODEL, input: "x", input_type: "query" }, "input_type", "'search_query'"],
      ["too many inputs", { model: MODEL, input: Array(2049).fill("x") }, "input", "at most 2048 inputs"],
    ])("refuses %s with a 400 naming the parameter, sending nothing", async (_name, body, param, message) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { message: string; param: string; type: string } };
      expect(error.type).toBe("invalid_request_error");
      expect(error.param).toBe(param);
      expect(error.message).toContain(message);
      expect(upstream.requests).toHaveLength(0);
    });

    it("needs the client key", async () => {
      const response = await post({ model: MODEL, input: "x" }, null);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("missing_api_key");
      expect((await post({ model: MODEL, input: "x" }, "wrong-key")).status).toBe(401);
      expect(upstream.requests).toHaveLength(0);
    });

    it("answers GET with 405", async () => {
      const response = await fetch(`${gateway.url}/v1/embeddings`, {
        headers: { authorization: `Bearer ${gateway.key}` },
      });
      expect(response.status).toBe(405);
    });
  });

  describe("EmbeddingService over gRPC (grpc-js)", () => {
    it("answers the vectors in input order, as 32-bit floats, with the usage", async () => {
      const answer = await grpc.create({ model: MODEL, input: ["one", "two three"], dimensions: 64 });
      expect(answer.model).toBe(MODEL);
      expect(answer.data.map((item: { index?: number }) => item.index ?? 0)).toEqual([0, 1]);
      expect(answer.data.map((item: { embedding: number[] }) => item.embedding)).toEqual([
        fakeOpenAIEmbedding("one", 64),
        fakeOpenAIEmbedding("two three", 64),
      ]);
      expect(answer.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    });

    it("takes token ids as input_tokens", async () => {
      const answer = await grpc.create({ model: MODEL, input_tokens: [{ ids: [10, 11] }] });
      expect(answer.data[0]?.embedding).toEqual(fakeOpenAIEmbedding(tokenInput([10, 11]), DIMENSIONS));
      expect(upstream.embeddingsRequests[0]?.body?.input).toEqual([[10, 11]]);
    });

    it("sends the fields in extensions to OpenAI as they are", async () => {
      await grpc.create({
        model: MODEL,
        input: ["x"],
        extensions: protoStruct({ a_field_from_next_year: [true, "y"] }),
      });
      expect(upstream.embeddingsRequests[0]?.body).toEqual({
        model: MODEL,
        input: ["x"],
        encoding_format: "base64",
        a_field_from_next_year: [true, "y"],
      });
    });

    it("answers the same errors with their gRPC codes", async () => {
      const chatModel = await rejection<ServiceError>(grpc.create({ model: "gpt-4o", input: ["x"] }));
      expect(chatModel.code).toBe(status.INVALID_ARGUMENT);
      expect(chatModel.details).toContain("'gpt-4o' is not an embedding model");
      const noKey = await rejection<ServiceError>(grpc.create({ model: MODEL, input: ["x"] }, { key: null }));
      expect(noKey.code).toBe(status.UNAUTHENTICATED);
      upstream.enqueue({
        kind: "error",
        status: 429,
        body: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
        headers: { "retry-after": "3" },
      });
      const throttled = await rejection<ServiceError & { metadata: Metadata }>(
        grpc.create({ model: MODEL, input: ["x"] }),
      );
      expect(throttled.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(throttled.metadata.get("retry-after")).toEqual(["3"]);
    });
  });
});

describe("EmbeddingService on every RPC protocol", () => {
  const setup = useOpenAIGateway();
  describe.each(RPC_TRANSPORTS)("%s", (_name, makeTransport) => {
    const client = () => createClient(EmbeddingService, makeTransport(setup.gateway.url));
    const auth = () => ({ headers: { authorization: `Bearer ${setup.gateway.key}` } });

    it("answers the vectors in input order", async () => {
      const answer = await client().createEmbeddings({ model: MODEL, input: ["x y", "z"], dimensions: 8 }, auth());
      expect(answer.data.map((item) => item.index)).toEqual([0, 1]);
      expect(answer.data.map((item) => item.embedding)).toEqual([
        fakeOpenAIEmbedding("x y", 8),
        fakeOpenAIEmbedding("z", 8),
      ]);
      expect(answer.usage?.promptTokens).toBe(3);
    });

    it("needs the client key and answers a bad request with INVALID_ARGUMENT", async () => {
      const noKey = await client()
        .createEmbeddings({ model: MODEL, input: ["x"] })
        .catch((error: unknown) => error);
      expect(ConnectError.from(noKey).code).toBe(Code.Unauthenticated);
      const empty = await client()
        .createEmbeddings({ model: MODEL }, auth())
        .catch((error: unknown) => error);
      expect(ConnectError.from(empty).code).toBe(Code.InvalidArgument);
      expect(ConnectError.from(empty).rawMessage).toBe("'input' must contain at least one input.");
    });
  });
});
