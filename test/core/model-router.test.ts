import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../src/core/errors.js";
import { isBedrockModelId, routeModel, targetName } from "../../src/core/model-router.js";
import { anyText } from "../arbitraries/text.js";

const DEFAULT = "gpt-4o-mini";

// Every vendor that publishes models on Bedrock, with a real model id of theirs.
const BEDROCK_MODELS = [
  "ai21.jamba-1-5-large-v1:0",
  "amazon.titan-text-express-v1",
  "amazon.nova-pro-v1:0",
  "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "cohere.command-r-plus-v1:0",
  "deepseek.r1-v1:0",
  "google.gemma-3-27b-it",
  "luma.ray-v2:0",
  "meta.llama3-1-70b-instruct-v1:0",
  "minimax.minimax-m2",
  "mistral.mistral-large-2407-v1:0",
  "moonshot.kimi-k2-thinking",
  "nvidia.nemotron-nano-12b-v2",
  "openai.gpt-oss-120b-1:0",
  "qwen.qwen3-32b-v1:0",
  "stability.sd3-5-large-v1:0",
  "twelvelabs.pegasus-1-2-v1:0",
  "writer.palmyra-x5-v1:0",
];
const REGION_PREFIXES = ["us", "us-gov", "eu", "apac", "jp", "au", "ca", "global"];

const BEDROCK_ARNS = [
  "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
  "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0",
  "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
  "arn:aws:bedrock:us-west-2:123456789012:imported-model/k2m3n4o5p6q7",
  "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghijkl",
  "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/xyz123",
  "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
  "arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.titan-text-express-v1",
];

const OPENAI_MODELS = [
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4.1-2025-04-14",
  "o1",
  "o3-mini",
  "chatgpt-4o-latest",
  "ft:gpt-4o-mini-2024-07-18:my-org::A1b2C3d4",
  // Ids of OpenAI-compatible servers: slashes, and vendor names not followed by a dot.
  "meta-llama/Llama-3.1-8B-Instruct",
  "mistralai/Mistral-7B-Instruct-v0.3",
  "deepseek-ai/DeepSeek-V3",
  "google/gemma-2-9b-it",
  "Qwen/Qwen2.5-72B-Instruct",
  "anthropic/claude-3.5-sonnet",
  "llama3.1:8b",
  "amazon-nova",
  "arn-like-but-not-an-arn",
];

describe("routeModel", () => {
  it("sends `openai/<id>` to OpenAI with the prefix removed", () => {
    expect(routeModel("openai/gpt-4o", DEFAULT)).toEqual({ provider: "openai", modelId: "gpt-4o" });
    // Whatever follows the prefix is the upstream's id, even a Bedrock-looking one.
    expect(routeModel("openai/anthropic.claude-3-haiku", DEFAULT)).toEqual({
      provider: "openai",
      modelId: "anthropic.claude-3-haiku",
    });
    expect(routeModel("openai/meta-llama/Llama-3.1-8B", DEFAULT)).toEqual({
      provider: "openai",
      modelId: "meta-llama/Llama-3.1-8B",
    });
  });

  it("sends `bedrock/<id>` to Bedrock with the prefix removed", () => {
    expect(routeModel("bedrock/anthropic.claude-3-haiku-20240307-v1:0", DEFAULT)).toEqual({
      provider: "bedrock",
      modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    });
    expect(routeModel("bedrock/my-custom-name", DEFAULT)).toEqual({ provider: "bedrock", modelId: "my-custom-name" });
    expect(routeModel("bedrock/openai/x", DEFAULT)).toEqual({ provider: "bedrock", modelId: "openai/x" });
  });

  it.each(BEDROCK_MODELS)("sends the Bedrock model %s to Bedrock unchanged", (model) => {
    expect(routeModel(model, DEFAULT)).toEqual({ provider: "bedrock", modelId: model });
    expect(isBedrockModelId(model)).toBe(true);
  });

  it.each(REGION_PREFIXES)("sends every vendor's model behind the region prefix `%s.` to Bedrock", (region) => {
    for (const model of BEDROCK_MODELS) {
      const profile = `${region}.${model}`;
      expect(routeModel(profile, DEFAULT)).toEqual({ provider: "bedrock", modelId: profile });
    }
  });

  it.each(BEDROCK_ARNS)("sends the Bedrock ARN %s to Bedrock unchanged", (arn) => {
    expect(routeModel(arn, DEFAULT)).toEqual({ provider: "bedrock", modelId: arn });
  });

  it.each(OPENAI_MODELS)("sends %s to OpenAI unchanged", (model) => {
    expect(routeModel(model, DEFAULT)).toEqual({ provider: "openai", modelId: model });
    expect(isBedrockModelId(model)).toBe(false);
  });

  it("does not take a vendor name alone, or an unknown region, for a Bedrock id", () => {
    for (const model of ["anthropic.", "us.anthropic.", "xx.anthropic.claude-3-haiku", "anthropic", "us.gpt-4o"]) {
      expect(routeModel(model, DEFAULT).provider).toBe("openai");
    }
  });

  it("uses the default OpenAI model when the model is empty or blank", () => {
    expect(routeModel("", DEFAULT)).toEqual({ provider: "openai", modelId: DEFAULT });
    expect(routeModel("   ", "gpt-4.1")).toEqual({ provider: "openai", modelId: "gpt-4.1" });
  });

  it("ignores whitespace around the model", () => {
    expect(routeModel("  anthropic.claude-3-haiku-20240307-v1:0\n", DEFAULT)).toEqual({
      provider: "bedrock",
      modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    });
  });

  it.each(["bedrock/", "openai/", " bedrock/ "])("refuses the bare prefix %j", (model) => {
    const failure = (() => {
      try {
        routeModel(model, DEFAULT);
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(InvalidRequestError);
    expect(failure).toMatchObject({ param: "model", code: "invalid_value", httpStatus: 400 });
  });
});

describe("routeModel with named providers", () => {
  const NAMES = ["openai", "bedrock", "bedrock-west", "openai-backup"];

  it("sends `<name>/<id>` to the named provider with the prefix removed", () => {
    expect(routeModel("bedrock-west/us.anthropic.claude-sonnet-4-5-20250929-v1:0", DEFAULT, NAMES)).toEqual({
      provider: "bedrock-west",
      modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    });
    expect(routeModel("openai-backup/meta-llama/Llama-3.1-8B", DEFAULT, NAMES)).toEqual({
      provider: "openai-backup",
      modelId: "meta-llama/Llama-3.1-8B",
    });
  });

  it("routes a prefix that names no provider as before: the whole id is the model's", () => {
    expect(routeModel("bedrock-east/anthropic.claude-3-haiku", DEFAULT, NAMES)).toEqual({
      provider: "openai",
      modelId: "bedrock-east/anthropic.claude-3-haiku",
    });
    expect(routeModel("bedrock-west/x", DEFAULT)).toEqual({ provider: "openai", modelId: "bedrock-west/x" });
  });

  it("refuses a named provider's prefix with nothing after it", () => {
    expect(() => routeModel("bedrock-west/", DEFAULT, NAMES)).toThrow(
      "The model 'bedrock-west/' names no model after 'bedrock-west/'.",
    );
  });

  it("names a route as `<provider>/<model id>`", () => {
    expect(targetName({ provider: "bedrock-west", modelId: "amazon.nova-lite-v1:0" })).toBe(
      "bedrock-west/amazon.nova-lite-v1:0",
    );
  });
});

describe("routeModel properties", () => {
  const text = anyText(80);
  const isBarePrefix = (model: string) => model.trim() === "openai/" || model.trim() === "bedrock/";

  it("routes any id without throwing unless it is a bare prefix, and never to an empty id", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.constantFrom("openai/", "bedrock/", " openai/\t").chain((p) => text.map((s) => p + s)),
          fc.constantFrom(...REGION_PREFIXES).chain((r) => text.map((s) => `${r}.${s}`)),
        ),
        (model) => {
          if (isBarePrefix(model)) {
            expect(() => routeModel(model, DEFAULT)).toThrow(InvalidRequestError);
            return;
          }
          const route = routeModel(model, DEFAULT);
          expect(["openai", "bedrock"]).toContain(route.provider);
          expect(route.modelId).not.toBe("");
        },
      ),
    );
  });

  it("always routes `openai/<x>` to OpenAI with modelId x", () => {
    const modelId = text.filter((x) => x !== "" && x.trim() === x);
    fc.assert(
      fc.property(modelId, (x) => {
        expect(routeModel(`openai/${x}`, DEFAULT)).toEqual({ provider: "openai", modelId: x });
      }),
    );
  });

  it("always routes `bedrock/<x>` to Bedrock with modelId x", () => {
    const modelId = text.filter((x) => x !== "" && x.trim() === x);
    fc.assert(
      fc.property(modelId, (x) => {
        expect(routeModel(`bedrock/${x}`, DEFAULT)).toEqual({ provider: "bedrock", modelId: x });
      }),
    );
  });
});
