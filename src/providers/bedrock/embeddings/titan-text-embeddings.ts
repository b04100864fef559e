import type { TitanTextEmbeddingRequest } from "../../../wire/bedrock-embeddings.js";
import { answerObject, type EmbeddingFamily, tokenCount, unsupportedParameter, vectorsIn } from "./embedding-family.js";
import { textOf } from "./embedding-input.js";

// v2 takes `dimensions` and `normalize`; G1 (`amazon.titan-embed-text-v1`, `-g1-text-02`) only `inputText`.
const TITAN_TEXT_V2 = /titan-embed-text-v2/;

/**
 * Titan Text Embeddings: one InvokeModel call per input, `dimensions` and
 * `normalize` passed to v2 as they are (Bedrock checks their values).
 */
export const TITAN_TEXT_EMBEDDINGS: EmbeddingFamily<TitanTextEmbeddingRequest> = {
  takesImages: false,
  calls(inputs, request, modelId) {
    if (!TITAN_TEXT_V2.test(modelId)) {
      const why = "only Titan Text Embeddings v2 takes it";
      if (request.dimensions !== undefined) throw unsupportedParameter("dimensions", modelId, why);
      if (request.normalize !== undefined) throw unsupportedParameter("normalize", modelId, why);
    }
    return inputs.map((input, index) => ({
      inputs: [index],
      body: {
        inputText: textOf(input),
        ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
        ...(request.normalize === undefined ? {} : { normalize: request.normalize }),
      },
    }));
  },
  read(answer, count) {
    const fields = answerObject(answer);
    return { vectors: vectorsIn([fields.embedding], count), tokens: tokenCount(fields.inputTextTokenCount) };
  },
};
