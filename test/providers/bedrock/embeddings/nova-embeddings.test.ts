import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { CreateEmbeddingsRequestSchema } from "../../../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError, UpstreamError } from "../../../../src/core/errors.js";
import type { EmbeddingInput } from "../../../../src/providers/bedrock/embeddings/embedding-input.js";
import { NOVA_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/nova-embeddings.js";
import { PNG_BASE64, PNG_DATA_URL } from "../../../arbitraries/images.js";

const MODEL = "amazon.nova-2-multimodal-embeddings-v1:0";
const text: EmbeddingInput = { kind: "text", text: "a cat" };
const image: EmbeddingInput = { kind: "image", image: { format: "png", base64: PNG_BASE64 }, dataUri: PNG_DATA_URL };

describe("Nova Multimodal Embeddings", () => {
  it("makes one SINGLE_EMBEDDING call per input, a text with truncation NONE, an image with its format", () => {
    const calls = NOVA_EMBEDDINGS.calls(
      [text, image],
      create(CreateEmbeddingsRequestSchema, { dimensions: 1024 }),
      MODEL,
    );
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
    const [call] = NOVA_EMBEDDINGS.calls([text], create(CreateEmbeddingsRequestSchema, { inputType }), MODEL);
    expect(call?.body.singleEmbeddingParams.embeddingPurpose).toBe(purpose);
  });

  it("refuses normalize", () => {
    expect(() =>
      NOVA_EMBEDDINGS.calls([text], create(CreateEmbeddingsRequestSchema, { normalize: false }), MODEL),
    ).toThrow(InvalidRequestError);
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
