import type { CreateEmbeddingsResponse } from "../../../gen/openbedrock/v1/embedding_pb.js";
import type { EncodingFormat } from "./parse-embeddings-request.js";

/**
 * A vector as OpenAI's `encoding_format: "base64"` writes it: each number as
 * a little-endian IEEE 754 float32, the bytes in base64 (what the openai
 * SDKs decode into a Float32Array).
 */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  vector.forEach((value, index) => {
    bytes.writeFloatLE(value, index * 4);
  });
  return bytes.toString("base64");
}

/** The answer exactly as OpenAI's `list` of `embedding` objects, the vectors in the form the caller asked for. */
export function embeddingsJson(response: CreateEmbeddingsResponse, format: EncodingFormat) {
  return {
    object: "list",
    data: response.data.map((item) => ({
      object: "embedding",
      index: item.index,
      embedding: format === "base64" ? float32Base64(item.embedding) : item.embedding,
    })),
    model: response.model,
    usage: {
      prompt_tokens: response.usage?.promptTokens ?? 0,
      total_tokens: response.usage?.totalTokens ?? 0,
    },
  };
}

export type EmbeddingsJson = ReturnType<typeof embeddingsJson>;
