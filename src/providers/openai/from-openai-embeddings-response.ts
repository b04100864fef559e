import { create } from "@bufbuild/protobuf";
import {
  type CreateEmbeddingsResponse,
  CreateEmbeddingsResponseSchema,
} from "../../../gen/openbedrock/v1/embedding_pb.js";
import type { OpenAIEmbeddingItem, OpenAIEmbeddingsAnswer } from "../../wire/openai-embeddings.js";
import { unreadableAnswer } from "../upstream/upstream-failures.js";
import { OPENAI } from "./map-openai-error.js";

const isNumbers = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((item) => typeof item === "number");

/** A vector as numbers: a list of numbers as it is, base64 read as little-endian float32s. */
function vectorOf(item: OpenAIEmbeddingItem): number[] {
  const { embedding } = item;
  if (isNumbers(embedding)) return embedding;
  if (typeof embedding === "string") {
    const bytes = Buffer.from(embedding, "base64");
    if (bytes.length % 4 === 0) {
      return Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
    }
  }
  throw unreadableAnswer(OPENAI, "an embedding is neither numbers nor base64 float32s");
}

/**
 * OpenAI's embeddings list in the canonical shape, one vector per input in
 * input order (the answer's `index` says which input each is), whether the
 * vectors came as numbers or in base64.
 */
export function fromOpenAIEmbeddingsResponse(answer: OpenAIEmbeddingsAnswer, inputs: number): CreateEmbeddingsResponse {
  const items: unknown = answer?.data;
  if (!Array.isArray(items)) throw unreadableAnswer(OPENAI, "the embeddings answer has no 'data' list");
  const notOnePerInput = () =>
    unreadableAnswer(OPENAI, `the embeddings answer does not give one vector for each of the ${inputs} inputs`);
  const vectors: (number[] | undefined)[] = new Array(inputs).fill(undefined);
  for (const item of items as OpenAIEmbeddingItem[]) {
    const index = item?.index;
    if (!Number.isInteger(index) || index < 0 || index >= inputs || vectors[index]) throw notOnePerInput();
    vectors[index] = vectorOf(item);
  }
  if (vectors.some((vector) => vector === undefined)) throw notOnePerInput();
  const promptTokens = answer.usage?.prompt_tokens ?? 0;
  return create(CreateEmbeddingsResponseSchema, {
    data: vectors.map((embedding, index) => ({ index, embedding })),
    model: answer.model ?? "",
    usage: { promptTokens, totalTokens: answer.usage?.total_tokens ?? promptTokens },
  });
}
