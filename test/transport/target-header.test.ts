import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { targetHeaderValue } from "../../src/transport/target-header.js";

describe("targetHeaderValue", () => {
  it("keeps a target's name as it is when it is visible ASCII", () => {
    expect(targetHeaderValue("bedrock-west/us.anthropic.claude-sonnet-4-5-20250929-v1:0")).toBe(
      "bedrock-west/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    );
  });

  it("percent-encodes what a header cannot carry: spaces, controls, non-ASCII", () => {
    expect(targetHeaderValue("openai/my model\r\nx-evil: 1")).toBe("openai/my%20model%0D%0Ax-evil:%201");
    expect(targetHeaderValue("openai/modèle")).toBe("openai/mod%C3%A8le");
  });

  it("sends nothing for a name too long for a header", () => {
    expect(targetHeaderValue(`openai/${"x".repeat(600)}`)).toBeUndefined();
  });

  it("always answers a value Node accepts as a header, or nothing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (model) => {
        const value = targetHeaderValue(`openai/${model}`);
        if (value !== undefined) expect(value).toMatch(/^[\x21-\x7e]+$/);
      }),
    );
  });
});
