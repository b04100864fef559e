import { inputTypeOf } from "../../../core/validate-embeddings-request.js";
import type { CohereEmbeddingRequest } from "../../../wire/bedrock-embeddings.js";
import {
  answerObject,
  type EmbeddingCall,
  type EmbeddingFamily,
  refuseNormalize,
  unsupportedParameter,
  vectorsIn,
} from "./embedding-family.js";

/** Texts (and v4 images) per call, Bedrock's limit for Cohere Embed. */
export const COHERE_BATCH = 96;

const COHERE_V4 = /cohere\.embed-v4/;

/** An input's position in the request and what the body carries of it: a text, or an image's data URI. */
type Entry = [index: number, value: string];

function batches(entries: Entry[], size: number): Entry[][] {
  const all: Entry[][] = [];
  for (let start = 0; start < entries.length; start += size) all.push(entries.slice(start, start + size));
  return all;
}

const indices = (batch: Entry[]) => batch.map(([index]) => index);
const values = (batch: Entry[]) => batch.map(([, value]) => value);

/**
 * Cohere Embed v3 and v4: the texts in batches of 96 per InvokeModel call,
 * with the caller's `input_type` (`search_document` by default); images as
 * data URIs, one per call on v3 (with its `image` input type), in batches
 * on v4. Float vectors are asked for by type; v4 takes `dimensions` as its
 * `output_dimension`, v3 has none.
 */
export const COHERE_EMBEDDINGS: EmbeddingFamily<CohereEmbeddingRequest> = {
  takesImages: true,
  calls(inputs, request, modelId) {
    const v4 = COHERE_V4.test(modelId);
    refuseNormalize(request, modelId);
    if (!v4 && request.dimensions !== undefined) {
      throw unsupportedParameter(
        "dimensions",
        modelId,
        "Cohere Embed v3 vectors have a fixed length (Embed v4 takes it)",
      );
    }
    const common = {
      embedding_types: ["float" as const],
      ...(request.dimensions === undefined ? {} : { output_dimension: request.dimensions }),
    };
    const inputType = inputTypeOf(request);
    const texts: Entry[] = [];
    const images: Entry[] = [];
    inputs.forEach((input, index) => {
      if (input.kind === "text") texts.push([index, input.text]);
      else images.push([index, input.dataUri]);
    });
    const calls: EmbeddingCall<CohereEmbeddingRequest>[] = batches(texts, COHERE_BATCH).map((batch) => ({
      inputs: indices(batch),
      body: { texts: values(batch), input_type: inputType, ...common },
    }));
    for (const batch of batches(images, v4 ? COHERE_BATCH : 1)) {
      calls.push({
        inputs: indices(batch),
        body: { images: values(batch), input_type: v4 ? inputType : "image", ...common },
      });
    }
    return calls;
  },
  read(answer, count) {
    const { embeddings } = answerObject(answer);
    // By type when `embedding_types` was sent, a plain list otherwise.
    const floats = Array.isArray(embeddings) ? embeddings : answerObject(embeddings).float;
    return { vectors: vectorsIn(floats, count), tokens: 0 };
  },
};
