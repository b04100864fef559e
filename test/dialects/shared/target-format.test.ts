import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { readTargetFormat, TARGET_FORMATS } from "../../../src/dialects/shared/target-format.js";

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
