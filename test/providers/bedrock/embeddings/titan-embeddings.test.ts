import { describe, expect, it } from "vitest";
import { InvalidRequestError, UpstreamError } from "../../../../src/core/errors.js";
import { TITAN_MULTIMODAL_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/titan-multimodal-embeddings.js";
import { TITAN_TEXT_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/titan-text-embeddings.js";
import { PNG_BASE64 } from "../../../arbitraries/images.js";
import { imageInput as image, embeddingsRequest as request, textInput as text } from "./embedding-requests.js";

describe("Titan Text Embeddings", () => {
  const V2 = "amazon.titan-embed-text-v2:0";

  it("makes one call per input, with dimensions and normalize on v2", () => {
    const calls = TITAN_TEXT_EMBEDDINGS.calls(
      [text("a"), text("b")],
      request({ dimensions: 512, normalize: false }),
      V2,
    );
    expect(calls).toEqual([
      { inputs: [0], body: { inputText: "a", dimensions: 512, normalize: false } },
      { inputs: [1], body: { inputText: "b", dimensions: 512, normalize: false } },
    ]);
    expect(TITAN_TEXT_EMBEDDINGS.calls([text("a")], request(), V2)).toEqual([
      { inputs: [0], body: { inputText: "a" } },
    ]);
  });

  it("refuses dimensions and normalize on G1", () => {
    for (const init of [{ dimensions: 256 }, { normalize: true }]) {
      expect(() => TITAN_TEXT_EMBEDDINGS.calls([text("a")], request(init), "amazon.titan-embed-text-v1")).toThrow(
        InvalidRequestError,
      );
    }
  });

  it("reads the vector and the token count", () => {
    expect(
      TITAN_TEXT_EMBEDDINGS.read(
        { embedding: [0.1, 0.2], inputTextTokenCount: 4, embeddingsByType: { float: [0.1, 0.2] } },
        1,
      ),
    ).toEqual({ vectors: [[0.1, 0.2]], tokens: 4 });
    expect(() => TITAN_TEXT_EMBEDDINGS.read({ embedding: "x" }, 1)).toThrow(UpstreamError);
    expect(() => TITAN_TEXT_EMBEDDINGS.read(null, 1)).toThrow(UpstreamError);
  });
});

describe("Titan Multimodal Embeddings", () => {
  const MODEL = "amazon.titan-embed-image-v1";

  it("sends a text as inputText and an image as inputImage, dimensions as outputEmbeddingLength", () => {
    expect(TITAN_MULTIMODAL_EMBEDDINGS.calls([text("a cat"), image], request({ dimensions: 384 }), MODEL)).toEqual([
      { inputs: [0], body: { inputText: "a cat", embeddingConfig: { outputEmbeddingLength: 384 } } },
      { inputs: [1], body: { inputImage: PNG_BASE64, embeddingConfig: { outputEmbeddingLength: 384 } } },
    ]);
  });

  it("refuses normalize", () => {
    expect(() => TITAN_MULTIMODAL_EMBEDDINGS.calls([image], request({ normalize: true }), MODEL)).toThrow(
      InvalidRequestError,
    );
  });

  it("reads the vector, an image counting no tokens", () => {
    expect(TITAN_MULTIMODAL_EMBEDDINGS.read({ embedding: [1, 2], message: null }, 1)).toEqual({
      vectors: [[1, 2]],
      tokens: 0,
    });
  });
});
