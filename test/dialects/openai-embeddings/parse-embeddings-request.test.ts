import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { parseEmbeddingsRequest } from "../../../src/dialects/openai-embeddings/parse-embeddings-request.js";
import { anyText } from "../../arbitraries/text.js";

function refusal(body: unknown): { param: string | null; code: string | null } {
  try {
    parseEmbeddingsRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    const invalid = error as InvalidRequestError;
    return { param: invalid.param, code: invalid.code };
  }
  throw new Error("the body was accepted");
}

const tokenIds = fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 10 });

describe("parseEmbeddingsRequest", () => {
  it("reads OpenAI's fields, this server's extensions, and keeps every other field in extensions", () => {
    const { request, encodingFormat } = parseEmbeddingsRequest({
      model: "text-embedding-3-small",
      input: "one",
      dimensions: 256,
      encoding_format: "base64",
      user: "u-1",
      input_type: "search_query",
      normalize: false,
      unknown_field: "kept",
      a_field_from_next_year: { nested: [1, null] },
    });
    expect(request).toMatchObject({
      model: "text-embedding-3-small",
      input: ["one"],
      inputTokens: [],
      dimensions: 256,
      user: "u-1",
      inputType: "search_query",
      normalize: false,
      extensions: { unknown_field: "kept", a_field_from_next_year: { nested: [1, null] } },
    });
    expect(encodingFormat).toBe("base64");
  });

  it("answers floats unless asked for base64, and leaves out what was not given", () => {
    const { request, encodingFormat } = parseEmbeddingsRequest({ model: "m", input: ["a"] });
    expect(encodingFormat).toBe("float");
    expect(request.dimensions).toBeUndefined();
    expect(request.normalize).toBeUndefined();
    expect(request.inputType).toBe("");
    expect(request.extensions).toBeUndefined();
  });

  it("keeps any list of texts as it is, in order", () => {
    fc.assert(
      fc.property(fc.array(anyText(30), { maxLength: 20 }), (texts) => {
        expect(parseEmbeddingsRequest({ model: "m", input: texts }).request.input).toEqual(texts);
      }),
    );
  });

  it("reads token ids: a flat list is one input, a list of lists one input each", () => {
    fc.assert(
      fc.property(tokenIds, fc.array(tokenIds, { minLength: 1, maxLength: 5 }), (flat, nested) => {
        expect(parseEmbeddingsRequest({ model: "m", input: flat }).request.inputTokens.map((t) => t.ids)).toEqual([
          flat,
        ]);
        expect(parseEmbeddingsRequest({ model: "m", input: nested }).request.inputTokens.map((t) => t.ids)).toEqual(
          nested,
        );
      }),
    );
  });

  it.each<[string, unknown, string]>([
    ["no model", { input: "x" }, "model"],
    ["no input", { model: "m" }, "input"],
    ["a number as input", { model: "m", input: 5 }, "input"],
    ["an object in the list", { model: "m", input: [{}] }, "input.[0]"],
    ["a string among token lists", { model: "m", input: [[1], "a"] }, "input.[1]"],
    ["a negative token id", { model: "m", input: [[1, -2]] }, "input.[0]"],
    ["a token id past int32", { model: "m", input: [[2 ** 31]] }, "input.[0]"],
    ["a fractional token id", { model: "m", input: [1.5] }, "input.[0]"],
    ["a string dimensions", { model: "m", input: "x", dimensions: "256" }, "dimensions"],
    ["an unknown encoding_format", { model: "m", input: "x", encoding_format: "int8" }, "encoding_format"],
    ["a string normalize", { model: "m", input: "x", normalize: "yes" }, "normalize"],
  ])("refuses %s, naming the field", (_name, body, param) => {
    expect(refusal(body).param).toBe(param);
  });

  it("refuses a body that is not an object", () => {
    expect(refusal([1, 2]).code).toBe("invalid_type");
  });
});
