import { describe, expect, it } from "vitest";
import { COHERE_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/cohere-embeddings.js";
import { embeddingFamilyOf } from "../../../../src/providers/bedrock/embeddings/embedding-families.js";
import { NOVA_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/nova-embeddings.js";
import { TITAN_MULTIMODAL_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/titan-multimodal-embeddings.js";
import { TITAN_TEXT_EMBEDDINGS } from "../../../../src/providers/bedrock/embeddings/titan-text-embeddings.js";

describe("embeddingFamilyOf", () => {
  it.each([
    ["amazon.titan-embed-text-v2:0", TITAN_TEXT_EMBEDDINGS],
    ["amazon.titan-embed-text-v1", TITAN_TEXT_EMBEDDINGS],
    ["amazon.titan-embed-g1-text-02", TITAN_TEXT_EMBEDDINGS],
    ["arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0", TITAN_TEXT_EMBEDDINGS],
    ["amazon.titan-embed-image-v1", TITAN_MULTIMODAL_EMBEDDINGS],
    ["cohere.embed-english-v3", COHERE_EMBEDDINGS],
    ["cohere.embed-multilingual-v3", COHERE_EMBEDDINGS],
    ["cohere.embed-v4:0", COHERE_EMBEDDINGS],
    ["us.cohere.embed-v4:0", COHERE_EMBEDDINGS],
    ["arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.cohere.embed-v4:0", COHERE_EMBEDDINGS],
    ["amazon.nova-2-multimodal-embeddings-v1:0", NOVA_EMBEDDINGS],
    ["us.amazon.nova-2-multimodal-embeddings-v1:0", NOVA_EMBEDDINGS],
  ])("%s is an embedding model", (modelId, family) => {
    expect(embeddingFamilyOf(modelId)).toBe(family);
  });

  it.each([
    "amazon.titan-text-express-v1",
    "amazon.nova-lite-v1:0",
    "cohere.command-r-v1:0",
    "anthropic.claude-3-haiku-20240307-v1:0",
    "arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc",
  ])("%s is not", (modelId) => {
    expect(embeddingFamilyOf(modelId)).toBeUndefined();
  });
});
