import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANTHROPIC_MODEL_NAMES, anthropicModelNames, claudeGeography } from "../../src/core/anthropic-model-names.js";
import { isBedrockModelId } from "../../src/core/model-router.js";

describe("claudeGeography", () => {
  it.each([
    ["us-east-1", "us"],
    ["us-west-2", "us"],
    ["ca-central-1", "us"],
    ["us-gov-west-1", "us-gov"],
    ["eu-central-1", "eu"],
    ["eu-west-3", "eu"],
    ["ap-northeast-1", "apac"],
    ["ap-southeast-2", "apac"],
    ["sa-east-1", "global"],
    ["me-central-1", "global"],
  ])("%s uses the %s inference profiles", (region, geography) => {
    expect(claudeGeography(region)).toBe(geography);
  });
});

describe("anthropicModelNames", () => {
  const us = anthropicModelNames("us");

  it("resolves dated and undated names, current and previous generations, to the geography's profile", () => {
    expect(us("claude-sonnet-4-5-20250929")).toBe("bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(us("claude-sonnet-4-5")).toBe("bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(us("claude-opus-4-1-20250805")).toBe("bedrock/us.anthropic.claude-opus-4-1-20250805-v1:0");
    expect(us("claude-3-5-haiku-20241022")).toBe("bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0");
    expect(us("claude-3-5-sonnet-latest")).toBe("bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0");
    expect(anthropicModelNames("eu")("claude-haiku-4-5")).toBe("bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0");
  });

  it("knows no other name, not even the object's own properties", () => {
    for (const name of ["gpt-4o", "claude", "constructor", "__proto__", "toString", "anthropic.claude-3-haiku"]) {
      expect(us(name)).toBeUndefined();
    }
  });

  it("names Bedrock Claude models the router sends to Bedrock", () => {
    for (const name of Object.keys(ANTHROPIC_MODEL_NAMES)) {
      const resolved = us(name) ?? "";
      expect(resolved.startsWith("bedrock/us.anthropic.claude-")).toBe(true);
      expect(isBedrockModelId(resolved.slice("bedrock/".length))).toBe(true);
    }
  });

  it("answers undefined for any name outside the table", () => {
    fc.assert(
      fc.property(
        fc.string().filter((name) => !Object.hasOwn(ANTHROPIC_MODEL_NAMES, name)),
        (name) => {
          expect(us(name)).toBeUndefined();
        },
      ),
    );
  });
});
