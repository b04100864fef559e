import type { TitanMultimodalEmbeddingRequest } from "../../../wire/bedrock-embeddings.js";
import { answerObject, type EmbeddingFamily, refuseNormalize, tokenCount, vectorsIn } from "./embedding-family.js";

/**
 * Titan Multimodal Embeddings G1: one InvokeModel call per input, a text as
 * `inputText`, an image as `inputImage`; `dimensions` is its
 * `outputEmbeddingLength`.
 */
export const TITAN_MULTIMODAL_EMBEDDINGS: EmbeddingFamily<TitanMultimodalEmbeddingRequest> = {
  takesImages: true,
  calls(inputs, request, modelId) {
    refuseNormalize(request, modelId);
    const config =
      request.dimensions === undefined ? {} : { embeddingConfig: { outputEmbeddingLength: request.dimensions } };
    return inputs.map((input, index) => ({
      inputs: [index],
      body: {
        ...(input.kind === "text" ? { inputText: input.text } : { inputImage: input.image.base64 }),
        ...config,
      },
    }));
  },
  read(answer, count) {
    const fields = answerObject(answer);
    return { vectors: vectorsIn([fields.embedding], count), tokens: tokenCount(fields.inputTextTokenCount) };
  },
};
