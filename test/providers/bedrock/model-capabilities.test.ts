import { describe, expect, it } from "vitest";
import { claudeVersion, modelCapabilities } from "../../../src/providers/bedrock/model-capabilities.js";

describe("claudeVersion", () => {
  it.each([
    ["claude-3-haiku-20240307-v1:0", 3],
    ["claude-3-5-sonnet-20240620-v1:0", 3.5],
    ["claude-3-5-haiku-20241022-v1:0", 3.5],
    ["claude-3-7-sonnet-20250219-v1:0", 3.7],
    ["claude-sonnet-4-20250514-v1:0", 4],
    ["claude-opus-4-1-20250805-v1:0", 4.1],
    ["claude-sonnet-4-5-20250929-v1:0", 4.5],
    ["claude-haiku-4-5-20251001-v1:0", 4.5],
    ["claude-opus-4-6-v1", 4.6],
    ["claude-instant-v1", 0],
  ])("%s is Claude %s", (model, version) => {
    expect(claudeVersion(model)).toBe(version);
  });
});

describe("modelCapabilities", () => {
  it("knows what each Claude generation does", () => {
    expect(modelCapabilities("anthropic.claude-3-5-sonnet-20240620-v1:0")).toMatchObject({
      known: true,
      reasoning: "none",
      nativeStructuredOutput: false,
      forcedToolChoice: true,
      promptCache: false,
      topK: "top_k",
    });
    expect(modelCapabilities("us.anthropic.claude-3-5-haiku-20241022-v1:0").promptCache).toBe(true);
    expect(modelCapabilities("us.anthropic.claude-sonnet-4-20250514-v1:0")).toMatchObject({
      reasoning: "claude-thinking",
      promptCache: true,
      cacheHour: false,
      nativeStructuredOutput: false,
      temperatureOrTopP: false,
    });
    expect(modelCapabilities("global.anthropic.claude-sonnet-4-5-20250929-v1:0")).toMatchObject({
      reasoning: "claude-thinking",
      nativeStructuredOutput: true,
      cacheHour: true,
      temperatureOrTopP: true,
    });
  });

  it("reads the model behind a foundation-model or inference-profile ARN, and knows nothing behind others", () => {
    expect(
      modelCapabilities("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0")
        .reasoning,
    ).toBe("claude-thinking");
    const hidden = modelCapabilities("arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc");
    expect(hidden).toMatchObject({ known: false, topK: "top_k", reasoning: "none" });
    expect(hidden.model).toBe("arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc");
  });

  it.each([
    ["amazon.nova-lite-v1:0", { reasoning: "none", promptCache: true, forcedToolChoice: true, topK: "nova" }],
    ["us.amazon.nova-2-lite-v1:0", { reasoning: "nova-effort", promptCache: true }],
    ["amazon.titan-text-express-v1", { promptCache: false, forcedToolChoice: false, topK: "none" }],
    ["us.deepseek.r1-v1:0", { reasoning: "always", topK: "none" }],
    ["mistral.mistral-large-2402-v1:0", { topK: "top_k", forcedToolChoice: false }],
    ["cohere.command-r-v1:0", { topK: "cohere" }],
    ["cohere.command-text-v14", { topK: "none" }],
    ["meta.llama3-8b-instruct-v1:0", { topK: "none", reasoning: "none", known: true }],
  ])("%s", (modelId, expected) => {
    expect(modelCapabilities(modelId)).toMatchObject(expected);
  });
});
