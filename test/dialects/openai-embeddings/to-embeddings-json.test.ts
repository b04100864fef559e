import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CreateEmbeddingsResponseSchema } from "../../../gen/openbedrock/v1/embedding_pb.js";
import { embeddingsJson, float32Base64 } from "../../../src/dialects/openai-embeddings/to-embeddings-json.js";

/** How the openai SDK reads base64 vectors (openai-node `toFloat32Array`) on a little-endian machine. */
function sdkDecode(base64: string): number[] {
  const bytes = Buffer.from(base64, "base64");
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
}

const response = create(CreateEmbeddingsResponseSchema, {
  data: [
    { index: 0, embedding: [0.5, -1] },
    { index: 1, embedding: [0.25, 2] },
  ],
  model: "m",
  usage: { promptTokens: 3, totalTokens: 3 },
});

describe("float32Base64", () => {
  it("writes little-endian IEEE 754 float32s", () => {
    expect(float32Base64([1, -2])).toBe(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]).toString("base64"));
  });

  it("round-trips any float32 vector through the SDK's decoding", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 64 }), (vector) => {
        expect(sdkDecode(float32Base64(vector))).toEqual(vector);
      }),
    );
  });
});

describe("embeddingsJson", () => {
  it("writes OpenAI's list with numbers", () => {
    expect(embeddingsJson(response, "float")).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.5, -1] },
        { object: "embedding", index: 1, embedding: [0.25, 2] },
      ],
      model: "m",
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it("writes base64 when asked", () => {
    const json = embeddingsJson(response, "base64");
    expect(json.data.map((item) => sdkDecode(item.embedding as string))).toEqual([
      [0.5, -1],
      [0.25, 2],
    ]);
  });
});
