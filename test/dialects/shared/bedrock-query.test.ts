import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { readBedrockQuery } from "../../../src/dialects/shared/bedrock-query.js";

const query = (text: string) => readBedrockQuery(new URLSearchParams(text));

describe("readBedrockQuery", () => {
  it("reads the model and stream query parameters", () => {
    expect(query("model=anthropic.claude-3-haiku-20240307-v1%3A0&stream=true")).toEqual({
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      stream: true,
    });
    expect(query("stream=false")).toEqual({ stream: false });
    expect(query("model=&target_format=openai")).toEqual({});
  });

  it("refuses a stream value other than true or false, naming it", () => {
    for (const value of ["yes", "1", ""]) {
      expect(() => query(`stream=${value}`)).toThrow(InvalidRequestError);
      try {
        query(`stream=${value}`);
      } catch (error) {
        expect(error).toMatchObject({ param: "stream", code: "invalid_value" });
      }
    }
  });
});
