import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { prepareForTarget, readTargetFormat, TARGET_FORMATS } from "../../../src/dialects/shared/target-format.js";

const request = (init: Parameters<typeof create<typeof ChatCompletionRequestSchema>>[1] = {}) =>
  create(ChatCompletionRequestSchema, { model: "m", messages: [{ role: "user", content: "hi" }], ...init });
const weather = { type: "function", function: { name: "get_weather" } };

describe("readTargetFormat", () => {
  it("reads each format, OpenAI's shape when absent or empty", () => {
    for (const format of TARGET_FORMATS) expect(readTargetFormat(format)).toBe(format);
    expect(readTargetFormat(null)).toBe("openai");
    expect(readTargetFormat("")).toBe("openai");
  });

  it("refuses an unknown format, listing the known ones", () => {
    for (const value of ["claude", "OPENAI", "bedrock_converse"]) {
      expect(() => readTargetFormat(value)).toThrow(InvalidRequestError);
      try {
        readTargetFormat(value);
      } catch (error) {
        expect(error).toMatchObject({ param: "target_format", code: "invalid_value" });
        expect((error as Error).message).toContain("'openai', 'bedrock_claude', 'bedrock_titan'");
      }
    }
  });
});

describe("prepareForTarget", () => {
  it("leaves OpenAI-shaped answers alone", () => {
    const asked = request({ n: 3, tools: [weather] });
    prepareForTarget(asked, "openai", true);
    expect(asked.streamOptions).toBeUndefined();
  });

  it("asks for usage on Bedrock-shaped streams, which report it at their end", () => {
    for (const target of ["bedrock_claude", "bedrock_titan"] as const) {
      const streamed = request();
      prepareForTarget(streamed, target, true);
      expect(streamed.streamOptions?.includeUsage).toBe(true);
      const unary = request();
      prepareForTarget(unary, target, false);
      expect(unary.streamOptions).toBeUndefined();
    }
  });

  it("refuses several choices for Bedrock shapes and tools for Titan's", () => {
    expect(() => prepareForTarget(request({ n: 2 }), "bedrock_claude", false)).toThrow(/'n'/);
    expect(() => prepareForTarget(request({ n: 2 }), "bedrock_titan", false)).toThrow(/'n'/);
    expect(() => prepareForTarget(request({ tools: [weather] }), "bedrock_titan", false)).toThrow(/'tools'/);
    expect(() => prepareForTarget(request({ tools: [weather], n: 1 }), "bedrock_claude", false)).not.toThrow();
  });
});
