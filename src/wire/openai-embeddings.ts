/**
 * OpenAI's Embeddings API answer (`POST /v1/embeddings`) as it arrives:
 * each `embedding` is a list of numbers, or with `encoding_format: "base64"`
 * the little-endian float32 bytes in base64 (the openai SDK's type says
 * only `number[]`, as it decodes the string itself when it asked for it).
 * Sources: OpenAI API reference, "Embeddings"; openai-node
 * `src/resources/embeddings.ts` and `src/internal/utils/base64.ts`.
 */

export interface OpenAIEmbeddingItem {
  object: "embedding";
  index: number;
  embedding: number[] | string;
}

export interface OpenAIEmbeddingsAnswer {
  object: "list";
  data: OpenAIEmbeddingItem[];
  model: string;
  usage?: { prompt_tokens: number; total_tokens: number };
}
