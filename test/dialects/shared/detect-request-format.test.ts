import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { detectRequestFormat } from "../../../src/dialects/shared/detect-request-format.js";
import { fixtureJson } from "../../providers/bedrock/wire-fixtures.js";

function refusal(body: unknown): InvalidRequestError {
  try {
    detectRequestFormat(body);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("a format was detected");
}

describe("detectRequestFormat", () => {
  it("recognises the recorded examples of each format", () => {
    expect(detectRequestFormat(fixtureJson("openai/chat_request_full.json"))).toBe("openai");
    expect(detectRequestFormat(fixtureJson("bedrock/claude_invoke_request.json"))).toBe("bedrock_claude");
    expect(detectRequestFormat(fixtureJson("bedrock/titan_request.json"))).toBe("bedrock_titan");
  });

  it("applies the rules in order: anthropic_version, then inputText, then model and messages", () => {
    const everything = { anthropic_version: "bedrock-2023-05-31", inputText: "x", model: "m", messages: [] };
    expect(detectRequestFormat(everything)).toBe("bedrock_claude");
    const { anthropic_version: _claude, ...titanAndOpenAI } = everything;
    expect(detectRequestFormat(titanAndOpenAI)).toBe("bedrock_titan");
    const { inputText: _titan, ...openai } = titanAndOpenAI;
    expect(detectRequestFormat(openai)).toBe("openai");
  });

  it("refuses anything else, naming the accepted formats", () => {
    for (const body of [{}, { prompt: "hi" }, { model: null, messages: null }]) {
      const error = refusal(body);
      expect(error).toMatchObject({ httpStatus: 400, code: "unknown_request_format", param: null });
      expect(error.message).toContain("OpenAI Chat Completions");
      expect(error.message).toContain("anthropic_version");
      expect(error.message).toContain("inputText");
    }
  });

  it("names the missing field of half an OpenAI body", () => {
    expect(refusal({ model: "gpt-4o" })).toMatchObject({ param: "messages", code: "missing_required_parameter" });
    expect(refusal({ messages: [] })).toMatchObject({ param: "model", code: "missing_required_parameter" });
  });

  it("refuses a body that is not a JSON object", () => {
    for (const body of [[1], "text", 3, null]) expect(refusal(body).code).toBe("invalid_type");
  });
});
