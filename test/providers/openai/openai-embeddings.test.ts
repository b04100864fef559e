import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CreateEmbeddingsRequestSchema } from "../../../gen/openbedrock/v1/embedding_pb.js";
import { UpstreamError } from "../../../src/core/errors.js";
import { fromOpenAIEmbeddingsResponse } from "../../../src/providers/openai/from-openai-embeddings-response.js";
import { isOpenAIChatModel, isOpenAIEmbeddingModel } from "../../../src/providers/openai/openai-model-kind.js";
import { toOpenAIEmbeddingsRequest } from "../../../src/providers/openai/to-openai-embeddings-request.js";
import type { OpenAIEmbeddingItem } from "../../../src/wire/openai-embeddings.js";

const float32Base64 = (vector: number[]) => Buffer.from(new Float32Array(vector).buffer).toString("base64");
const answer = (data: OpenAIEmbeddingItem[], usage = { prompt_tokens: 5, total_tokens: 5 }) => ({
  object: "list" as const,
  data,
  model: "text-embedding-3-small",
  usage,
});
const item = (index: number, embedding: number[] | string): OpenAIEmbeddingItem => ({
  object: "embedding",
  index,
  embedding,
});

describe("toOpenAIEmbeddingsRequest", () => {
  it("passes texts, dimensions and user, asking for base64", () => {
    const request = create(CreateEmbeddingsRequestSchema, {
      model: "openai/text-embedding-3-small",
      input: ["a", "b"],
      dimensions: 64,
      user: "u",
      inputType: "search_query",
      normalize: true,
    });
    expect(toOpenAIEmbeddingsRequest(request, "text-embedding-3-small")).toEqual({
      model: "text-embedding-3-small",
      input: ["a", "b"],
      encoding_format: "base64",
      dimensions: 64,
      user: "u",
    });
  });

  it("sends the request's other fields as the caller sent them, its own fields winning", () => {
    const request = create(CreateEmbeddingsRequestSchema, {
      input: ["a"],
      extensions: { a_field_from_next_year: { on: true }, model: "other", encoding_format: "float" },
    });
    expect(toOpenAIEmbeddingsRequest(request, "m")).toEqual({
      a_field_from_next_year: { on: true },
      model: "m",
      input: ["a"],
      encoding_format: "base64",
    });
  });

  it("passes token ids as lists", () => {
    const request = create(CreateEmbeddingsRequestSchema, { inputTokens: [{ ids: [1, 2] }, { ids: [3] }] });
    expect(toOpenAIEmbeddingsRequest(request, "m")).toEqual({
      model: "m",
      input: [[1, 2], [3]],
      encoding_format: "base64",
    });
  });
});

describe("fromOpenAIEmbeddingsResponse", () => {
  it("reads base64 and numbers, placing each vector at its index", () => {
    const response = fromOpenAIEmbeddingsResponse(answer([item(1, [0.5, 0.25]), item(0, float32Base64([1, -1]))]), 2);
    expect(response.data.map((entry) => [entry.index, entry.embedding])).toEqual([
      [0, [1, -1]],
      [1, [0.5, 0.25]],
    ]);
    expect(response.model).toBe("text-embedding-3-small");
    expect(response.usage).toMatchObject({ promptTokens: 5, totalTokens: 5 });
  });

  it("puts any order of answers back in input order", () => {
    const vectorsInAnyOrder = fc
      .array(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 })
      .chain((vectors) => {
        const indices = vectors.map((_, index) => index);
        const order = fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length });
        return fc.tuple(fc.constant(vectors), order);
      });
    fc.assert(
      fc.property(vectorsInAnyOrder, ([vectors, order]) => {
        const items = order.map((index) => item(index, float32Base64(vectors[index] ?? [])));
        const response = fromOpenAIEmbeddingsResponse(answer(items), vectors.length);
        expect(response.data.map((entry) => entry.embedding)).toEqual(vectors);
      }),
    );
  });

  it.each<[string, unknown]>([
    ["no data", { object: "list", model: "m" }],
    ["a missing vector", answer([item(0, [1])])],
    ["an index twice", answer([item(0, [1]), item(0, [2])])],
    ["an index past the inputs", answer([item(0, [1]), item(2, [2])])],
    ["a vector of text", answer([item(0, [1]), { object: "embedding", index: 1, embedding: ["a"] } as never])],
    ["base64 of a partial float", answer([item(0, [1]), item(1, Buffer.from([1, 2, 3]).toString("base64"))])],
  ])("refuses an answer with %s as OpenAI's failure", (_name, body) => {
    expect(() => fromOpenAIEmbeddingsResponse(body as never, 2)).toThrow(UpstreamError);
  });
});

describe("OpenAI model kinds", () => {
  it("knows OpenAI's embedding and chat models by their ids, and leaves others undecided", () => {
    expect(["text-embedding-3-small", "text-embedding-ada-002"].every(isOpenAIEmbeddingModel)).toBe(true);
    expect(["gpt-4o", "gpt-4.1-mini", "chatgpt-4o-latest", "o3-mini", "o1"].every(isOpenAIChatModel)).toBe(true);
    for (const other of ["bge-m3", "nomic-embed-text", "omni-moderation-latest"]) {
      expect([isOpenAIEmbeddingModel(other), isOpenAIChatModel(other)]).toEqual([false, false]);
    }
  });
});
