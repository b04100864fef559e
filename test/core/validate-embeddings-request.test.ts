import { create, type MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CreateEmbeddingsRequest, CreateEmbeddingsRequestSchema } from "../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError } from "../../src/core/errors.js";
import {
  EMBEDDING_INPUT_TYPES,
  inputTypeOf,
  MAX_EMBEDDING_INPUTS,
  validateEmbeddingsRequest,
} from "../../src/core/validate-embeddings-request.js";
import { anyText } from "../arbitraries/text.js";

type RequestInit = Exclude<MessageInitShape<typeof CreateEmbeddingsRequestSchema>, CreateEmbeddingsRequest>;
const request = (init: Partial<RequestInit>) => create(CreateEmbeddingsRequestSchema, { model: "m", ...init });

function refusal(init: Partial<RequestInit>): { param: string | null; message: string } {
  try {
    validateEmbeddingsRequest(request(init));
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    const invalid = error as InvalidRequestError;
    return { param: invalid.param, message: invalid.message };
  }
  throw new Error("the request was accepted");
}

describe("validateEmbeddingsRequest", () => {
  it("accepts any non-empty texts or token ids, within the limit, with any input_type it knows", () => {
    const inputs = fc.oneof(
      fc.record({ input: fc.array(anyText(40, 1), { minLength: 1, maxLength: 50 }) }),
      fc.record({
        inputTokens: fc.array(fc.record({ ids: fc.array(fc.nat(100_000), { minLength: 1, maxLength: 8 }) }), {
          minLength: 1,
          maxLength: 50,
        }),
      }),
    );
    fc.assert(
      fc.property(
        inputs,
        fc.constantFrom("", ...EMBEDDING_INPUT_TYPES),
        fc.option(fc.integer({ min: 1, max: 4096 }), { nil: undefined }),
        (fields, inputType, dimensions) => {
          expect(() =>
            validateEmbeddingsRequest(request({ ...fields, inputType, ...(dimensions ? { dimensions } : {}) })),
          ).not.toThrow();
        },
      ),
    );
  });

  it.each<[string, Partial<RequestInit>, string]>([
    ["no model", { model: " ", input: ["x"] }, "model"],
    ["no input", {}, "input"],
    ["texts and token ids", { input: ["x"], inputTokens: [{ ids: [1] }] }, "input"],
    ["an empty text", { input: ["x", ""] }, "input.[1]"],
    ["empty token ids", { inputTokens: [{ ids: [1] }, { ids: [] }] }, "input.[1]"],
    ["too many inputs", { input: Array(MAX_EMBEDDING_INPUTS + 1).fill("x") }, "input"],
    ["zero dimensions", { input: ["x"], dimensions: 0 }, "dimensions"],
    ["an unknown input_type", { input: ["x"], inputType: "document" }, "input_type"],
  ])("refuses %s, naming the parameter", (_name, init, param) => {
    expect(refusal(init).param).toBe(param);
  });

  it("reads an empty input_type as search_document", () => {
    expect(inputTypeOf(request({}))).toBe("search_document");
    expect(inputTypeOf(request({ inputType: "clustering" }))).toBe("clustering");
  });
});
