import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import type { CreateEmbeddingsRequest } from "../../../gen/openbedrock/v1/embedding_pb.js";

/**
 * The body of `POST /embeddings` for a canonical request: texts or token
 * ids as given, `dimensions` and `user` passed through. The vectors are
 * asked for in base64, the exact float32 values in a quarter of the text, as
 * the openai SDK asks by default (so every OpenAI-compatible server that
 * serves the SDK takes it). The fields this server does not name (the
 * request's `extensions`) go as the caller sent them, so OpenAI's newer
 * fields work; this server's own (`input_type`, `normalize`) are not
 * OpenAI's and stay out.
 */
export function toOpenAIEmbeddingsRequest(request: CreateEmbeddingsRequest, modelId: string): EmbeddingCreateParams {
  return {
    ...request.extensions,
    model: modelId,
    input: request.inputTokens.length > 0 ? request.inputTokens.map((tokens) => tokens.ids) : request.input,
    encoding_format: "base64",
    ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
    ...(request.user === "" ? {} : { user: request.user }),
  };
}
