import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, type BedrockStack, startBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";

let openaiUpstream: FakeOpenAI;

beforeAll(async () => {
  openaiUpstream = new FakeOpenAI();
  await openaiUpstream.start();
});
afterAll(async () => {
  await openaiUpstream?.close();
});

const EMBEDDING_IDS = [
  "amazon.titan-embed-text-v1",
  "amazon.titan-embed-text-v2:0",
  "amazon.titan-embed-image-v1",
  "amazon.nova-2-multimodal-embeddings-v1:0",
  "cohere.embed-english-v3",
  "cohere.embed-multilingual-v3",
  "cohere.embed-v4:0",
];

const BEDROCK_IDS = [
  "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "anthropic.claude-3-haiku-20240307-v1:0",
  "amazon.titan-text-express-v1",
  "amazon.titan-text-lite-v1",
  ...EMBEDDING_IDS,
  "amazon.nova-lite-v1:0",
  "meta.llama3-8b-instruct-v1:0",
  "mistral.mistral-large-2402-v1:0",
  "cohere.command-r-v1:0",
  "us.anthropic.claude-sonnet-4-20250514-v1:0",
  "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
  "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  "us.amazon.nova-lite-v1:0",
  "us.amazon.nova-2-lite-v1:0",
  "us.deepseek.r1-v1:0",
  "arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/fake0app0profile",
];

// The same behaviour whichever exchange reaches Bedrock Runtime (listing uses the control-plane client in both).
describe.each(BEDROCK_HTTP_CLIENTS)("Models (Bedrock through %s)", (httpClient) => {
  describe("listing models with Bedrock configured", () => {
    let stack: BedrockStack;

    beforeAll(async () => {
      stack = await startBedrockStack({ bedrock: { httpClient }, openaiBaseURL: openaiUpstream.baseURL });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it("lists on-demand chat and embedding models and inference profiles next to OpenAI's (HTTP)", async () => {
      const listed = [];
      for await (const model of stack.openai.models.list()) listed.push(model);
      expect(listed.map((model) => model.id)).toEqual(["gpt-4o-mini", "gpt-4o", ...BEDROCK_IDS]);
      const nova = listed.find((model) => model.id === "us.amazon.nova-lite-v1:0");
      expect(nova).toEqual({
        id: "us.amazon.nova-lite-v1:0",
        object: "model",
        created: 1725000000,
        owned_by: "amazon",
      });
      // Every model was asked for (chat models put out text, embedding models vectors); every profile page was read.
      expect(stack.control.requests.filter((r) => r.path === "/foundation-models")[0]?.query).toEqual({});
      expect(stack.control.requests.filter((r) => r.path === "/inference-profiles")).toHaveLength(4);
    });

    it("lists the same through gRPC, from the cache", async () => {
      const before = stack.control.requests.length;
      const list = await stack.grpc.listModels();
      expect(list.data.map((model: { id: string }) => model.id)).toEqual(["gpt-4o-mini", "gpt-4o", ...BEDROCK_IDS]);
      expect(stack.control.requests.length).toBe(before);
    });

    it("every listed Bedrock model can be called by its id", async () => {
      for (const model of EMBEDDING_IDS) {
        const answer = await stack.openai.embeddings.create({ model, input: "hi" });
        expect(answer.data).toHaveLength(1);
        expect(stack.bedrock.last().modelId).toBe(model);
      }
      for (const model of BEDROCK_IDS.filter((id) => !EMBEDDING_IDS.includes(id))) {
        const answer = await stack.openai.chat.completions.create({
          model,
          messages: [{ role: "user", content: "hi" }],
        });
        expect(answer.choices[0]?.message.content).toBe("You said: hi");
        expect(stack.bedrock.last().modelId).toBe(model);
        // The SDK client speaks HTTP/2 (h2c here), undici HTTP/1.1.
        expect(stack.bedrock.last().httpVersion).toBe(httpClient === "sdk" ? "2.0" : "1.1");
      }
    });
  });

  describe("listing models when the Bedrock control plane fails", () => {
    it("still answers, with what could be listed", async () => {
      const stack = await startBedrockStack({ bedrock: { httpClient }, openaiBaseURL: openaiUpstream.baseURL });
      try {
        stack.control.failInferenceProfiles = {
          status: 403,
          errorType: "AccessDeniedException",
          message: "not allowed to list inference profiles",
        };
        stack.control.failFoundationModels = {
          status: 500,
          errorType: "InternalServerException",
          message: "down",
        };
        const response = await fetch(`${stack.gateway.url}/v1/models`, {
          headers: { authorization: `Bearer ${stack.gateway.key}` },
        });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { data: { id: string }[] };
        expect(body.data.map((model) => model.id)).toEqual(["gpt-4o-mini", "gpt-4o"]);
      } finally {
        await stack.close();
      }
    });

    it("keeps the foundation models when only the profiles cannot be listed", async () => {
      const stack = await startBedrockStack({ bedrock: { httpClient } });
      try {
        stack.control.failInferenceProfiles = { status: 403, errorType: "AccessDeniedException", message: "no" };
        const list = await stack.grpc.listModels();
        expect(list.data.map((model: { id: string }) => model.id)).toEqual(
          BEDROCK_IDS.slice(0, 8 + EMBEDDING_IDS.length),
        );
      } finally {
        await stack.close();
      }
    });
  });
});
