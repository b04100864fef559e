import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../../src/core/errors.js";
import type { BedrockExchange } from "../../../src/providers/bedrock/bedrock-exchange.js";
import { listBedrockModels } from "../../../src/providers/bedrock/list-bedrock-models.js";

function exchangeListing(
  foundation: Awaited<ReturnType<BedrockExchange["listFoundationModels"]>> | Error,
  profiles: Awaited<ReturnType<BedrockExchange["listInferenceProfiles"]>> | Error,
): BedrockExchange {
  const answer = <T>(value: T | Error) => (value instanceof Error ? Promise.reject(value) : Promise.resolve(value));
  const unused = () => {
    throw new Error("not listed");
  };
  return {
    invoke: unused,
    invokeStream: unused,
    countTokens: unused,
    converse: unused,
    converseStream: unused,
    listFoundationModels: () => answer(foundation),
    listInferenceProfiles: () => answer(profiles),
  };
}

const model = (modelId: string, inferenceTypes = ["ON_DEMAND"], outputModalities = ["TEXT"]) => ({
  modelId,
  providerName: "Meta",
  outputModalities,
  inferenceTypes,
});
const profile = (id: string, type = "SYSTEM_DEFINED", status = "ACTIVE") => ({
  id,
  arn: `arn:aws:bedrock:us-east-1:123456789012:${type === "APPLICATION" ? "application-" : ""}inference-profile/${id}`,
  type,
  status,
  createdAt: new Date("2024-08-30T06:40:00Z"),
});

describe("listBedrockModels", () => {
  it("lists on-demand chat and embedding models and active profiles, application profiles by ARN", async () => {
    const models = await listBedrockModels(
      exchangeListing(
        [
          model("meta.llama3-8b-instruct-v1:0"),
          model("anthropic.claude-3-haiku-20240307-v1:0:48k", ["PROVISIONED"]),
          model("amazon.titan-embed-text-v2:0", ["ON_DEMAND"], ["EMBEDDING"]),
          model("stability.sd3-large-v1:0", ["ON_DEMAND"], ["IMAGE"]),
        ],
        [
          profile("us.meta.llama3-2-1b-instruct-v1:0"),
          profile("abc", "APPLICATION"),
          profile("old", "SYSTEM_DEFINED", "DISABLED"),
        ],
      ),
      AbortSignal.timeout(1_000),
    );
    expect(models.map((m) => [m.id, m.ownedBy, m.created])).toEqual([
      ["meta.llama3-8b-instruct-v1:0", "meta", 0n],
      ["amazon.titan-embed-text-v2:0", "amazon", 0n],
      ["us.meta.llama3-2-1b-instruct-v1:0", "meta", 1725000000n],
      ["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc", "bedrock", 1725000000n],
    ]);
  });

  it("keeps one listing when the other fails, and fails only when both do", async () => {
    const failure = new UpstreamError("down");
    const partial = await listBedrockModels(exchangeListing([model("meta.x-v1")], failure), AbortSignal.timeout(1_000));
    expect(partial.map((m) => m.id)).toEqual(["meta.x-v1"]);
    await expect(listBedrockModels(exchangeListing(failure, failure), AbortSignal.timeout(1_000))).rejects.toBe(
      failure,
    );
  });
});
