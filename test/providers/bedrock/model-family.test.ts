import { describe, expect, it } from "vitest";
import { modelFamily } from "../../../src/providers/bedrock/model-family.js";

describe("modelFamily", () => {
  it.each([
    ["anthropic.claude-3-5-sonnet-20240620-v1:0", "claude"],
    ["us.anthropic.claude-sonnet-4-20250514-v1:0", "claude"],
    ["global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude"],
    ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "claude"],
    ["arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0", "claude"],
    ["amazon.titan-text-express-v1", "titan"],
    ["amazon.titan-text-premier-v1:0", "titan"],
    ["amazon.titan-tg1-large", "titan"],
    ["amazon.nova-lite-v1:0", "converse"],
    ["us.amazon.nova-pro-v1:0", "converse"],
    ["meta.llama3-8b-instruct-v1:0", "converse"],
    ["mistral.mistral-large-2402-v1:0", "converse"],
    ["cohere.command-r-v1:0", "converse"],
    ["us.deepseek.r1-v1:0", "converse"],
    ["arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123", "converse"],
    ["arn:aws:bedrock:us-west-2:123456789012:provisioned-model/xyz", "converse"],
  ])("%s takes the %s strategy", (modelId, family) => {
    expect(modelFamily(modelId)).toBe(family);
  });
});
