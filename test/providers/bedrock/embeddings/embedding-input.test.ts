import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CreateEmbeddingsRequestSchema } from "../../../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import { readEmbeddingInputs } from "../../../../src/providers/bedrock/embeddings/embedding-input.js";
import { PNG_BASE64, PNG_DATA_URL } from "../../../arbitraries/images.js";
import { anyText } from "../../../arbitraries/text.js";

const read = (input: string[], takesImages = true) =>
  readEmbeddingInputs(create(CreateEmbeddingsRequestSchema, { input }), "model-x", takesImages);

function refusal(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error("accepted");
}

describe("readEmbeddingInputs", () => {
  it("reads base64 image data URLs as images (by their bytes) and everything else as text", () => {
    const gif = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
    // Declared jpeg, but the bytes are a PNG: the bytes decide.
    const mislabelled = `data:image/jpeg;base64,${PNG_BASE64}`;
    expect(read(["data: 42 rows", PNG_DATA_URL, gif, mislabelled, "https://example.com/cat.png"])).toEqual([
      { kind: "text", text: "data: 42 rows" },
      { kind: "image", image: { format: "png", base64: PNG_BASE64 }, dataUri: PNG_DATA_URL },
      { kind: "image", image: { format: "gif", base64: gif.slice(22) }, dataUri: gif },
      { kind: "image", image: { format: "png", base64: PNG_BASE64 }, dataUri: PNG_DATA_URL },
      { kind: "text", text: "https://example.com/cat.png" },
    ]);
  });

  it("keeps any text that is not an image data URL as it is", () => {
    fc.assert(
      fc.property(fc.array(anyText(40, 1), { maxLength: 10 }), (texts) => {
        fc.pre(texts.every((text) => !/^\s*data:image\//i.test(text)));
        expect(read(texts, false)).toEqual(texts.map((text) => ({ kind: "text", text })));
      }),
    );
  });

  it("refuses an image for a text-only model, naming the input", () => {
    const refused = refusal(() => read(["text", PNG_DATA_URL], false));
    expect(refused.param).toBe("input.[1]");
    expect(refused.message).toContain("'model-x' embeds text only");
  });

  it("refuses an image data URL that is not base64 or not a supported image", () => {
    expect(refusal(() => read(["data:image/png;base64,not base64!"])).param).toBe("input.[0]");
    expect(refusal(() => read(["x", "data:image/bmp;base64,Qk0eAAAA"])).param).toBe("input.[1]");
  });

  it("refuses token ids", () => {
    const request = create(CreateEmbeddingsRequestSchema, { inputTokens: [{ ids: [1, 2] }] });
    const refused = refusal(() => readEmbeddingInputs(request, "model-x", true));
    expect(refused.param).toBe("input");
    expect(refused.message).toContain("not token ids");
  });
});
