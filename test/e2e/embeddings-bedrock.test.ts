/**
 * Embeddings on Bedrock: Titan Text v2 (one InvokeModel per input, run
 * concurrently), Cohere Embed v3 and v4 (batches), Titan Multimodal and Nova
 * (images), through the `openai` SDK and grpc-js, against the real server
 * and the fake Bedrock, which checks the bodies as Bedrock does.
 */
import { type ServiceError, status } from "@grpc/grpc-js";
import OpenAI, { type BadRequestError, type RateLimitError } from "openai";
import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMBEDDING_CONCURRENCY } from "../../src/providers/bedrock/embeddings/embed-on-bedrock.js";
import { PNG_BASE64, PNG_DATA_URL } from "../arbitraries/images.js";
import { BEDROCK_HTTP_CLIENTS, rejection, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { fakeEmbedding, fakeTokenCount } from "../fakes/fake-embeddings.js";
import { createGrpcEmbeddingClient, type GrpcEmbeddingClient } from "../helpers/grpc-embedding-client.js";
import { parsePrometheusText, sampleSum } from "../helpers/prometheus-text.js";
import { protoStruct } from "../helpers/proto-struct.js";

const TITAN = "amazon.titan-embed-text-v2:0";
const TITAN_G1 = "amazon.titan-embed-text-v1";
const TITAN_IMAGE = "amazon.titan-embed-image-v1";
const COHERE_V3 = "cohere.embed-english-v3";
const COHERE_V4 = "cohere.embed-v4:0";
const NOVA = "amazon.nova-2-multimodal-embeddings-v1:0";
const CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";

/** What the float32 wire (base64, gRPC) keeps of a vector. */
const float32 = (vector: number[]) => vector.map(Math.fround);

/** A request with this server's extensions, which the SDK sends as they are. */
const withExtensions = (body: EmbeddingCreateParams & { input_type?: string; normalize?: boolean }) =>
  body as EmbeddingCreateParams;

describe.each(BEDROCK_HTTP_CLIENTS)("embeddings on Bedrock through %s", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });
  let grpc: GrpcEmbeddingClient;
  beforeAll(() => {
    grpc = createGrpcEmbeddingClient(stack.gateway.url, stack.gateway.key);
  });
  afterAll(() => grpc?.close());

  const invokes = () => stack.bedrock.requests.filter((request) => request.operation === "invoke");

  describe("Titan Text Embeddings v2", () => {
    it("embeds each input with its own InvokeModel call, the vectors in input order, the tokens summed", async () => {
      const inputs = Array.from({ length: 20 }, (_, index) => `text number ${index} ${"word ".repeat(index % 3)}`);
      const answer = await stack.openai.embeddings.create({ model: TITAN, input: inputs });
      expect(answer.model).toBe(TITAN);
      expect(answer.data.map((item) => item.index)).toEqual(inputs.map((_, index) => index));
      expect(answer.data.map((item) => item.embedding)).toEqual(
        inputs.map((text) => float32(fakeEmbedding(text, 1024))),
      );
      const tokens = inputs.reduce((sum, text) => sum + fakeTokenCount(text), 0);
      expect(answer.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
      expect(
        invokes()
          .map((request) => request.body.inputText)
          .sort(),
      ).toEqual([...inputs].sort());
      expect(invokes().every((request) => request.rawPath === "/model/amazon.titan-embed-text-v2%3A0/invoke")).toBe(
        true,
      );
    });

    it("maps dimensions and normalize, and answers Bedrock's numbers as they are when asked for floats", async () => {
      const answer = await stack.openai.embeddings.create(
        withExtensions({
          model: TITAN,
          input: "short one",
          dimensions: 256,
          normalize: false,
          encoding_format: "float",
        }),
      );
      expect(answer.data[0]?.embedding).toEqual(fakeEmbedding("short one", 256, false));
      expect(stack.bedrock.last().body).toEqual({ inputText: "short one", dimensions: 256, normalize: false });
    });

    it("answers Bedrock's throttling as a 429 (HTTP) and RESOURCE_EXHAUSTED (gRPC)", async () => {
      const throttling = {
        kind: "error" as const,
        status: 429,
        errorType: "ThrottlingException",
        message: "Too many requests, please wait before trying again.",
      };
      stack.bedrock.enqueue(throttling);
      const http = await rejection<RateLimitError>(stack.openai.embeddings.create({ model: TITAN, input: "x" }));
      expect(http).toBeInstanceOf(OpenAI.RateLimitError);
      expect(http.message).toContain("Too many requests");
      stack.bedrock.enqueue(throttling);
      const rpc = await rejection<ServiceError>(grpc.create({ model: TITAN, input: ["x"] }));
      expect(rpc.code).toBe(status.RESOURCE_EXHAUSTED);
    });

    it("refuses images, token ids and, on G1, dimensions, sending nothing", async () => {
      const image = await rejection<BadRequestError>(
        stack.openai.embeddings.create({ model: TITAN, input: ["a text", PNG_DATA_URL] }),
      );
      expect(image.param).toBe("input.[1]");
      expect(image.message).toContain("embeds text only");
      const tokens = await rejection<BadRequestError>(
        stack.openai.embeddings.create({ model: TITAN, input: [1, 2, 3] }),
      );
      expect(tokens.param).toBe("input");
      expect(tokens.message).toContain("not token ids");
      const g1 = await rejection<BadRequestError>(
        stack.openai.embeddings.create({ model: TITAN_G1, input: "x", dimensions: 256 }),
      );
      expect(g1.param).toBe("dimensions");
      expect(stack.bedrock.requests).toHaveLength(0);
    });

    it("serves G1 with its bare body", async () => {
      const answer = await stack.openai.embeddings.create({
        model: TITAN_G1,
        input: "old model",
        encoding_format: "float",
      });
      expect(answer.data[0]?.embedding).toEqual(fakeEmbedding("old model", 1536));
      expect(stack.bedrock.last().body).toEqual({ inputText: "old model" });
    });
  });

  describe("Cohere Embed", () => {
    it("v3: batches the texts 96 a call, as search_document unless input_type says otherwise", async () => {
      const inputs = Array.from({ length: 100 }, (_, index) => `document ${index}`);
      const answer = await stack.openai.embeddings.create({
        model: COHERE_V3,
        input: inputs,
        encoding_format: "float",
      });
      expect(answer.data.map((item) => item.embedding)).toEqual(inputs.map((text) => fakeEmbedding(text, 1024)));
      expect(answer.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
      const bodies = invokes().map((request) => request.body);
      expect(bodies.map((body) => (body.texts as string[]).length).sort()).toEqual([4, 96]);
      expect(bodies.every((body) => body.input_type === "search_document")).toBe(true);
      expect(bodies[0]?.embedding_types).toEqual(["float"]);

      await stack.openai.embeddings.create(
        withExtensions({ model: COHERE_V3, input: "a query", input_type: "search_query" }),
      );
      expect(stack.bedrock.last().body).toEqual({
        texts: ["a query"],
        input_type: "search_query",
        embedding_types: ["float"],
      });
    });

    it("v3: embeds an image on a call of its own, with the image input type, keeping the input order", async () => {
      const answer = await stack.openai.embeddings.create({
        model: COHERE_V3,
        input: ["before", PNG_DATA_URL, "after"],
        encoding_format: "float",
      });
      expect(answer.data.map((item) => item.embedding)).toEqual([
        fakeEmbedding("before", 1024),
        fakeEmbedding(PNG_DATA_URL, 1024),
        fakeEmbedding("after", 1024),
      ]);
      const image = invokes().find((request) => request.body.images !== undefined);
      expect(image?.body).toEqual({ images: [PNG_DATA_URL], input_type: "image", embedding_types: ["float"] });
    });

    it("v3 has no dimensions; v4 takes them as output_dimension, which Bedrock checks", async () => {
      const v3 = await rejection<BadRequestError>(
        stack.openai.embeddings.create({ model: COHERE_V3, input: "x", dimensions: 512 }),
      );
      expect(v3.param).toBe("dimensions");
      const answer = await stack.openai.embeddings.create({
        model: COHERE_V4,
        input: ["text", PNG_DATA_URL],
        dimensions: 512,
        encoding_format: "float",
      });
      expect(answer.data.map((item) => item.embedding)).toEqual([
        fakeEmbedding("text", 512),
        fakeEmbedding(PNG_DATA_URL, 512),
      ]);
      expect(invokes().map((request) => request.body)).toEqual([
        { texts: ["text"], input_type: "search_document", embedding_types: ["float"], output_dimension: 512 },
        { images: [PNG_DATA_URL], input_type: "search_document", embedding_types: ["float"], output_dimension: 512 },
      ]);
      const refused = await rejection<BadRequestError>(
        stack.openai.embeddings.create({ model: COHERE_V4, input: "x", dimensions: 100 }),
      );
      expect(refused.message).toContain("#/output_dimension: 100 is not a valid enum value");
    });

    it("refuses normalize, which only Titan Text v2 takes", async () => {
      const refused = await rejection<BadRequestError>(
        stack.openai.embeddings.create(withExtensions({ model: COHERE_V3, input: "x", normalize: true })),
      );
      expect(refused.param).toBe("normalize");
      expect(stack.bedrock.requests).toHaveLength(0);
    });
  });

  describe("multimodal models", () => {
    it("Titan Multimodal: a text and an image, one call each, dimensions as outputEmbeddingLength", async () => {
      const answer = await stack.openai.embeddings.create({
        model: TITAN_IMAGE,
        input: ["a red square", PNG_DATA_URL],
        dimensions: 384,
        encoding_format: "float",
      });
      expect(answer.data.map((item) => item.embedding)).toEqual([
        fakeEmbedding("a red square", 384),
        fakeEmbedding(PNG_BASE64, 384),
      ]);
      expect(answer.usage?.prompt_tokens).toBe(3);
      expect(invokes().map((request) => request.body)).toEqual(
        expect.arrayContaining([
          { inputText: "a red square", embeddingConfig: { outputEmbeddingLength: 384 } },
          { inputImage: PNG_BASE64, embeddingConfig: { outputEmbeddingLength: 384 } },
        ]),
      );
    });

    it("Nova: texts and images with their format, input_type as embeddingPurpose, dimensions", async () => {
      const answer = await stack.openai.embeddings.create(
        withExtensions({
          model: NOVA,
          input: ["find the square", PNG_DATA_URL],
          dimensions: 256,
          input_type: "search_query",
          encoding_format: "float",
        }),
      );
      expect(answer.data.map((item) => item.embedding)).toEqual([
        fakeEmbedding("find the square", 256),
        fakeEmbedding(PNG_BASE64, 256),
      ]);
      const params = invokes().map((request) => request.body.singleEmbeddingParams);
      expect(params).toEqual(
        expect.arrayContaining([
          {
            embeddingPurpose: "GENERIC_RETRIEVAL",
            embeddingDimension: 256,
            text: { truncationMode: "NONE", value: "find the square" },
          },
          {
            embeddingPurpose: "GENERIC_RETRIEVAL",
            embeddingDimension: 256,
            image: { format: "png", source: { bytes: PNG_BASE64 } },
          },
        ]),
      );
      expect(invokes().every((request) => request.body.taskType === "SINGLE_EMBEDDING")).toBe(true);
    });

    it("refuses a data URL that is not a png, jpeg, gif or webp image", async () => {
      const refused = await rejection<BadRequestError>(
        stack.openai.embeddings.create({ model: NOVA, input: ["data:image/bmp;base64,Qk0eAAAAAAAAABoAAAAMAAAA"] }),
      );
      expect(refused.param).toBe("input.[0]");
      expect(refused.message).toContain("png, jpeg, gif or webp");
      expect(stack.bedrock.requests).toHaveLength(0);
    });
  });

  describe("chat and embedding models apart", () => {
    it("refuses a chat model for embeddings and an embedding model for chat (HTTP), sending nothing", async () => {
      const chatModel = await rejection<BadRequestError>(stack.openai.embeddings.create({ model: CLAUDE, input: "x" }));
      expect(chatModel.param).toBe("model");
      expect(chatModel.message).toContain(`'${CLAUDE}' is not an embedding model`);
      const embeddingModel = await rejection<BadRequestError>(
        stack.openai.chat.completions.create({ model: TITAN, messages: [{ role: "user", content: "hi" }] }),
      );
      expect(embeddingModel.message).toContain(`'${TITAN}' makes embeddings, not chat completions`);
      expect(stack.bedrock.requests).toHaveLength(0);
    });

    it("refuses them over gRPC with INVALID_ARGUMENT", async () => {
      const chatModel = await rejection<ServiceError>(grpc.create({ model: CLAUDE, input: ["x"] }));
      expect(chatModel.code).toBe(status.INVALID_ARGUMENT);
      const embeddingModel = await rejection<ServiceError>(
        stack.grpc.collect({ model: TITAN, messages: [{ role: "user", content: "hi" }] }),
      );
      expect(embeddingModel.code).toBe(status.INVALID_ARGUMENT);
      expect(embeddingModel.details).toContain("makes embeddings");
      expect(stack.bedrock.requests).toHaveLength(0);
    });
  });

  describe("fields this server does not name", () => {
    it("are refused, naming the field, when they say something; neutral ones pass (HTTP and gRPC)", async () => {
      const body = { model: TITAN, input: "x", a_field_from_next_year: "on" };
      const refused = await rejection<BadRequestError>(stack.openai.embeddings.create(body as EmbeddingCreateParams));
      expect(refused.status).toBe(400);
      expect(refused.param).toBe("a_field_from_next_year");
      expect(refused.error).toHaveProperty(
        "message",
        `'a_field_from_next_year' is not supported by '${TITAN}': Bedrock embedding models have no such field.`,
      );
      const overGrpc = await rejection<ServiceError>(
        grpc.create({ model: COHERE_V4, input: ["x"], extensions: protoStruct({ priority: "low" }) }),
      );
      expect(overGrpc.code).toBe(status.INVALID_ARGUMENT);
      expect(overGrpc.details).toContain("'priority' is not supported");
      expect(stack.bedrock.requests).toHaveLength(0);
      const neutral = { model: TITAN, input: "x", a_field_from_next_year: null, priority: "" };
      await stack.openai.embeddings.create(neutral as EmbeddingCreateParams);
      expect(stack.bedrock.last().body).toEqual({ inputText: "x" });
    });
  });

  describe("EmbeddingService over gRPC (grpc-js)", () => {
    it("answers Titan's vectors in input order with the tokens summed", async () => {
      const inputs = ["first input", "second", "the third one"];
      const answer = await grpc.create({ model: `bedrock/${TITAN}`, input: inputs, dimensions: 512 });
      expect(answer.model).toBe(TITAN);
      expect(answer.data.map((item: { index?: number }) => item.index ?? 0)).toEqual([0, 1, 2]);
      expect(answer.data.map((item: { embedding: number[] }) => item.embedding)).toEqual(
        inputs.map((text) => float32(fakeEmbedding(text, 512))),
      );
      expect(answer.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    });

    it("takes input_type and normalize", async () => {
      await grpc.create({ model: COHERE_V4, input: ["q"], input_type: "classification" });
      expect(stack.bedrock.last().body.input_type).toBe("classification");
      await grpc.create({ model: TITAN, input: ["n"], normalize: false });
      expect(stack.bedrock.last().body.normalize).toBe(false);
    });
  });

  // On a stack of its own: the calls it aborts may still reach the fake after it ends.
  describe("a failing call among many", () => {
    const own = useBedrockStack({ bedrock: { httpClient } });

    it("answers Bedrock's refusal of a dimensions value as a 400, and starts no call after the first failure", async () => {
      const inputs = Array.from({ length: EMBEDDING_CONCURRENCY + 4 }, (_, index) => `input ${index}`);
      const refused = await rejection<BadRequestError>(
        own.openai.embeddings.create({ model: TITAN, input: inputs, dimensions: 300 }),
      );
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect(refused.message).toContain("#/dimensions: 300 is not a valid enum value");
      expect(own.bedrock.requests.length).toBeGreaterThan(0);
      expect(own.bedrock.requests.length).toBeLessThanOrEqual(EMBEDDING_CONCURRENCY);
    });
  });

  it("counts embeddings in the metrics and logs them like chat", async () => {
    const scrape = async () => {
      const response = await fetch(`${stack.gateway.url}/metrics`, {
        headers: { authorization: `Bearer ${stack.gateway.key}` },
      });
      return parsePrometheusText(await response.text());
    };
    const before = await scrape();
    await stack.openai.embeddings.create({ model: TITAN, input: ["one two", "three"] });
    await grpc.create({ model: TITAN, input: ["four"] });
    const after = await scrape();
    const grew = (name: string, labels: Record<string, string>) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    const route = { operation: "embeddings", provider: "bedrock", model: TITAN, outcome: "ok" };
    expect(grew("open_bedrock_requests_total", { ...route, protocol: "openai_http" })).toBe(1);
    expect(grew("open_bedrock_requests_total", { ...route, protocol: "grpc" })).toBe(1);
    expect(grew("open_bedrock_prompt_tokens_total", { provider: "bedrock", model: TITAN })).toBe(4);
    const logs = stack.gateway.logs;
    expect(logs.some((line) => line.msg === "request" && line.path === "/v1/embeddings" && line.status === 200)).toBe(
      true,
    );
    expect(
      logs.some((line) => line.rpc === "openbedrock.v1.EmbeddingService/CreateEmbeddings" && line.code === 0),
    ).toBe(true);
  });
});
