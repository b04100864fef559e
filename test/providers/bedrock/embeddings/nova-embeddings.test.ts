import { describe, expect, it } from "vitest";
import { InvalidRequestError, UpstreamError } from "../../../../src/core/errors.js";
import { NOVA_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/nova-embeddings.js";
import { PNG_BASE64 } from "../../../arbitraries/images.js";
import { imageInput as image, embeddingsRequest as request, textInput } from "./embedding-requests.js";

const MODEL = "amazon.nova-2-multimodal-embeddings-v1:0";
const text = textInput("a cat");

describe("Nova Multimodal Embeddings", () => {
  it("makes one SINGLE_EMBEDDING call per input, a text with truncation NONE, an image with its format", () => {
    const calls = NOVA_EMBEDDINGS.calls([text, image], request({ dimensions: 1024 }), MODEL);
    expect(calls).toEqual([
      {
        inputs: [0],
        body: {
          schemaVersion: "nova-multimodal-embed-v1",
          taskType: "SINGLE_EMBEDDING",
          singleEmbeddingParams: {
            embeddingPurpose: "GENERIC_INDEX",
            embeddingDimension: 1024,
            text: { truncationMode: "NONE", value: "a cat" },
          },
        },
      },
      {
        inputs: [1],
        body: {
          schemaVersion: "nova-multimodal-embed-v1",
          taskType: "SINGLE_EMBEDDING",
          singleEmbeddingParams: {
            embeddingPurpose: "GENERIC_INDEX",
            embeddingDimension: 1024,
            image: { format: "png", source: { bytes: PNG_BASE64 } },
          },
        },
      },
    ]);
  });

  it.each([
    ["search_document", "GENERIC_INDEX"],
    ["search_query", "GENERIC_RETRIEVAL"],
    ["classification", "CLASSIFICATION"],
    ["clustering", "CLUSTERING"],
  ])("takes input_type %s as embeddingPurpose %s", (inputType, purpose) => {
    const [call] = NOVA_EMBEDDINGS.calls([text], request({ inputType }), MODEL);
    expect(call?.body.singleEmbeddingParams.embeddingPurpose).toBe(purpose);
  });

  it("refuses normalize", () => {
    expect(() => NOVA_EMBEDDINGS.calls([text], request({ normalize: false }), MODEL)).toThrow(InvalidRequestError);
  });

  it("reads the one vector of a call", () => {
    expect(NOVA_EMBEDDINGS.read({ embeddings: [{ embeddingType: "TEXT", embedding: [0.5] }] }, 1)).toEqual({
      vectors: [[0.5]],
      tokens: 0,
    });
    expect(() => NOVA_EMBEDDINGS.read({ embeddings: [] }, 1)).toThrow(UpstreamError);
    expect(() => NOVA_EMBEDDINGS.read({ embeddings: [null] }, 1)).toThrow(UpstreamError);
  });
});
