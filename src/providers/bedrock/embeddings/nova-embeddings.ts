import { type EmbeddingInputType, inputTypeOf } from "../../../core/validate-embeddings-request.js";
import {
  NOVA_EMBEDDING_SCHEMA,
  type NovaEmbeddingPurpose,
  type NovaEmbeddingRequest,
} from "../../../wire/bedrock-embeddings.js";
import { answerObject, type EmbeddingFamily, refuseNormalize, vectorsIn } from "./embedding-family.js";

/** `input_type` as Nova's `embeddingPurpose`: documents are indexed, queries retrieve from any modality. */
const PURPOSES: Record<EmbeddingInputType, NovaEmbeddingPurpose> = {
  search_document: "GENERIC_INDEX",
  search_query: "GENERIC_RETRIEVAL",
  classification: "CLASSIFICATION",
  clustering: "CLUSTERING",
};

/**
 * Nova Multimodal Embeddings: one InvokeModel call per input (a text, or an
 * image with its format), `dimensions` as its `embeddingDimension`. A text
 * too long for the model fails, as on the other models.
 */
export const NOVA_EMBEDDINGS: EmbeddingFamily<NovaEmbeddingRequest> = {
  takesImages: true,
  calls(inputs, request, modelId) {
    refuseNormalize(request, modelId);
    const embeddingPurpose = PURPOSES[inputTypeOf(request)];
    const dimension = request.dimensions === undefined ? {} : { embeddingDimension: request.dimensions };
    return inputs.map((input, index) => ({
      inputs: [index],
      body: {
        schemaVersion: NOVA_EMBEDDING_SCHEMA,
        taskType: "SINGLE_EMBEDDING",
        singleEmbeddingParams: {
          embeddingPurpose,
          ...dimension,
          ...(input.kind === "text"
            ? { text: { truncationMode: "NONE", value: input.text } }
            : { image: { format: input.image.format, source: { bytes: input.image.base64 } } }),
        },
      },
    }));
  },
  read(answer, count) {
    const { embeddings } = answerObject(answer);
    const vectors = Array.isArray(embeddings) ? embeddings.map((item) => answerObject(item).embedding) : undefined;
    return { vectors: vectorsIn(vectors, count), tokens: 0 };
  },
};
