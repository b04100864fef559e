import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidRequestError, UpstreamError } from "../../../../src/core/errors.js";
import { COHERE_BATCH, COHERE_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/cohere-embeddings.js";
import { PNG_DATA_URL } from "../../../arbitraries/images.js";
import { imageInput as image, embeddingsRequest as request, textInput as text } from "./embedding-requests.js";

const V3 = "cohere.embed-english-v3";
const V4 = "cohere.embed-v4:0";

describe("Cohere Embed", () => {
  it("batches texts 96 a call, each input in exactly one call, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("t", "i"), { minLength: 1, maxLength: 250 }), fc.boolean(), (kinds, v4) => {
        const inputs = kinds.map((kind, index) => (kind === "t" ? text(`text ${index}`) : image));
        const calls = COHERE_EMBEDDINGS.calls(inputs, request(), v4 ? V4 : V3);
        const covered = calls.flatMap((call) => call.inputs).sort((a, b) => a - b);
        expect(covered).toEqual(inputs.map((_, index) => index));
        for (const call of calls) {
          const body = call.body;
          const carried = body.texts ?? body.images ?? [];
          expect(carried).toHaveLength(call.inputs.length);
          expect(carried.length).toBeLessThanOrEqual(body.images && !v4 ? 1 : COHERE_BATCH);
          expect(call.inputs).toEqual([...call.inputs].sort((a, b) => a - b));
          if (body.texts) expect(body.texts).toEqual(call.inputs.map((index) => `text ${index}`));
        }
      }),
    );
  });

  it("sends the input_type (search_document by default), images with v3's image type, float vectors", () => {
    expect(COHERE_EMBEDDINGS.calls([text("a"), image], request(), V3).map((call) => call.body)).toEqual([
      { texts: ["a"], input_type: "search_document", embedding_types: ["float"] },
      { images: [PNG_DATA_URL], input_type: "image", embedding_types: ["float"] },
    ]);
    expect(
      COHERE_EMBEDDINGS.calls([text("a"), image], request({ inputType: "search_query", dimensions: 256 }), V4).map(
        (call) => call.body,
      ),
    ).toEqual([
      { texts: ["a"], input_type: "search_query", embedding_types: ["float"], output_dimension: 256 },
      { images: [PNG_DATA_URL], input_type: "search_query", embedding_types: ["float"], output_dimension: 256 },
    ]);
  });

  it("refuses dimensions on v3 and normalize on both", () => {
    expect(() => COHERE_EMBEDDINGS.calls([text("a")], request({ dimensions: 256 }), V3)).toThrow(InvalidRequestError);
    expect(() => COHERE_EMBEDDINGS.calls([text("a")], request({ normalize: true }), V4)).toThrow(InvalidRequestError);
  });

  it("reads vectors by type or as a plain list, with no token count", () => {
    const byType = {
      id: "x",
      response_type: "embeddings_by_type",
      embeddings: { float: [[1], [2]], int8: [[1], [2]] },
    };
    expect(COHERE_EMBEDDINGS.read(byType, 2)).toEqual({ vectors: [[1], [2]], tokens: 0 });
    const floats = { id: "x", response_type: "embeddings_floats", embeddings: [[3], [4]] };
    expect(COHERE_EMBEDDINGS.read(floats, 2)).toEqual({ vectors: [[3], [4]], tokens: 0 });
    expect(() => COHERE_EMBEDDINGS.read(floats, 3)).toThrow(UpstreamError);
    expect(() => COHERE_EMBEDDINGS.read({ embeddings: { int8: [[1]] } }, 1)).toThrow(UpstreamError);
  });
});
