/**
 * The fake Bedrock's embedding models, asked directly with the AWS SDK: the
 * bodies Bedrock refuses are refused, in Bedrock's words, so the server's
 * tests against the fake mean what they say. (The server itself checks
 * `input_type` before sending, so only a direct call can send a bad one.)
 */
import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_AWS_CREDENTIALS, FAKE_AWS_REGION, FakeBedrock } from "./fake-bedrock.js";
import { fakeEmbedding } from "./fake-embeddings.js";

let bedrock: FakeBedrock;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  bedrock = new FakeBedrock();
  await bedrock.start();
  client = new BedrockRuntimeClient({
    region: FAKE_AWS_REGION,
    endpoint: bedrock.url,
    credentials: FAKE_AWS_CREDENTIALS,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await bedrock?.close();
});

async function invoke(modelId: string, body: unknown): Promise<unknown> {
  const answer = await client.send(
    new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: "application/json" }),
  );
  return JSON.parse(new TextDecoder().decode(answer.body));
}

async function refusal(modelId: string, body: unknown): Promise<{ name: string; message: string }> {
  try {
    await invoke(modelId, body);
  } catch (error) {
    const failure = error as { name: string; message: string };
    return { name: failure.name, message: failure.message };
  }
  throw new Error("the fake accepted the body");
}

const malformed = (detail: string) => ({
  name: "ValidationException",
  message: `Malformed input request: ${detail}, please reformat your input and try again.`,
});

describe("the fake Bedrock's embedding models", () => {
  it("answers Titan Text v2 with embedding, its token count and the vectors by type", async () => {
    expect(await invoke("amazon.titan-embed-text-v2:0", { inputText: "two words", dimensions: 256 })).toEqual({
      embedding: fakeEmbedding("two words", 256),
      inputTextTokenCount: 2,
      embeddingsByType: { float: fakeEmbedding("two words", 256) },
    });
  });

  it.each<[string, string, unknown, { name: string; message: string }]>([
    [
      "Titan v2 dimensions",
      "amazon.titan-embed-text-v2:0",
      { inputText: "x", dimensions: 300 },
      malformed("#/dimensions: 300 is not a valid enum value"),
    ],
    [
      "Titan v2 without text",
      "amazon.titan-embed-text-v2:0",
      { dimensions: 256 },
      malformed("#: required key [inputText] not found"),
    ],
    [
      "Titan G1 dimensions",
      "amazon.titan-embed-text-v1",
      { inputText: "x", dimensions: 256 },
      malformed("#: extraneous key [dimensions] is not permitted"),
    ],
    [
      "Titan Multimodal length",
      "amazon.titan-embed-image-v1",
      { inputText: "x", embeddingConfig: { outputEmbeddingLength: 512 } },
      malformed("#/embeddingConfig/outputEmbeddingLength: 512 is not a valid enum value"),
    ],
    [
      "Cohere v3 without input_type",
      "cohere.embed-english-v3",
      { texts: ["x"] },
      malformed("#: required key [input_type] not found"),
    ],
    [
      "Cohere v3 input_type",
      "cohere.embed-english-v3",
      { texts: ["x"], input_type: "query" },
      malformed("#/input_type: query is not a valid enum value"),
    ],
    [
      "Cohere v3 with 97 texts",
      "cohere.embed-english-v3",
      { texts: Array(97).fill("x"), input_type: "search_document" },
      malformed("#/texts: expected maximum item count: 96, found: 97"),
    ],
    [
      "Cohere v3 with two images",
      "cohere.embed-english-v3",
      { images: ["data:image/png;base64,AAAA", "data:image/png;base64,AAAA"], input_type: "image" },
      malformed("#/images: expected maximum item count: 1, found: 2"),
    ],
    [
      "Cohere v4 image input_type",
      "cohere.embed-v4:0",
      { images: ["data:image/png;base64,AAAA"], input_type: "image" },
      malformed("#/input_type: image is not a valid enum value"),
    ],
    [
      "Cohere v4 output_dimension",
      "cohere.embed-v4:0",
      { texts: ["x"], input_type: "search_query", output_dimension: 2048 },
      malformed("#/output_dimension: 2048 is not a valid enum value"),
    ],
    [
      "Nova without truncationMode",
      "amazon.nova-2-multimodal-embeddings-v1:0",
      {
        taskType: "SINGLE_EMBEDDING",
        singleEmbeddingParams: { embeddingPurpose: "GENERIC_INDEX", text: { value: "x" } },
      },
      malformed("#/singleEmbeddingParams/text: required key [truncationMode] not found"),
    ],
    [
      "Nova dimension",
      "amazon.nova-2-multimodal-embeddings-v1:0",
      {
        taskType: "SINGLE_EMBEDDING",
        singleEmbeddingParams: {
          embeddingPurpose: "GENERIC_INDEX",
          embeddingDimension: 512,
          text: { truncationMode: "END", value: "x" },
        },
      },
      malformed("#/singleEmbeddingParams/embeddingDimension: 512 is not a valid enum value"),
    ],
  ])("refuses %s as Bedrock does", async (_name, modelId, body, expected) => {
    expect(await refusal(modelId, body)).toEqual(expected);
  });

  it("refuses to stream an embedding model", async () => {
    const { InvokeModelWithResponseStreamCommand } = await import("@aws-sdk/client-bedrock-runtime");
    const failure = await client
      .send(
        new InvokeModelWithResponseStreamCommand({
          modelId: "cohere.embed-english-v3",
          body: JSON.stringify({ texts: ["x"], input_type: "search_document" }),
          contentType: "application/json",
        }),
      )
      .catch((error: unknown) => error as { name: string; message: string });
    expect(failure).toMatchObject({ name: "ValidationException", message: "The model is unsupported for streaming." });
  });
});
