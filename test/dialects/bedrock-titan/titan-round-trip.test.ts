/**
 * Property tests of the Titan pair, for what Titan can carry: text turns
 * (whose texts do not themselves use the transcript's `User:` / `Bot:`
 * markers), sampling, limits and stop sequences; answers' text, completion
 * reason and token counts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk, ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { validateChatRequest } from "../../../src/core/validate-request.js";
import { fromTitanRequest } from "../../../src/dialects/bedrock-titan/from-titan-request.js";
import { toTitanResponse } from "../../../src/dialects/bedrock-titan/to-titan-response.js";
import { TitanStreamChunks } from "../../../src/dialects/bedrock-titan/to-titan-stream-chunks.js";
import { toBedrockConversation } from "../../../src/providers/bedrock/bedrock-conversation.js";
import type { TitanTextRequest } from "../../../src/wire/titan-text.js";
import { type AnswerShape, answer, responseOf, streamedAnswer } from "../../arbitraries/answers.js";
import { titanCarriedRequest } from "../../arbitraries/carried-requests.js";
import { providerReadsTitan, providerReadsTitanStream, providerTitanBody } from "../provider-bodies.js";

const RUNS = { numRuns: 150 };
const noImages = () => {
  throw new Error("no images");
};

/** The conversation as the Titan provider sees it: system texts joined, turns of joined non-blank texts. */
function conversation(request: ChatCompletionRequest) {
  const { system, turns } = toBedrockConversation(request.messages, noImages);
  return {
    system: system.map((part) => part.text).join("\n"),
    turns: turns.map((turn) => [
      turn.role,
      turn.blocks.map((block) => (block.kind === "text" ? block.text : "")).join("\n"),
    ]),
  };
}

function providerBody(request: ChatCompletionRequest): TitanTextRequest | undefined {
  try {
    validateChatRequest(request);
    return providerTitanBody(request);
  } catch {
    return undefined;
  }
}

const expected = (shape: AnswerShape) => ({
  text: shape.text,
  finishReason: shape.finishReason,
  promptTokens: shape.usage?.promptTokens ?? 0,
  completionTokens: shape.usage?.completionTokens ?? 0,
});

function streamSaid(chunks: ChatCompletionChunk[]) {
  const usage = chunks.at(-1)?.usage;
  return {
    text: chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join(""),
    finishReason: chunks.find((chunk) => chunk.choices[0]?.finishReason)?.choices[0]?.finishReason,
    promptTokens: usage?.promptTokens ?? 0,
    completionTokens: usage?.completionTokens ?? 0,
  };
}

describe("Titan round trips", () => {
  it("canonical -> Titan body (provider) -> canonical keeps the turns, sampling, limit and stops", () => {
    fc.assert(
      fc.property(titanCarriedRequest, (request) => {
        const body = providerBody(request);
        fc.pre(body !== undefined);
        const { request: back } = fromTitanRequest(body, { model: request.model });
        validateChatRequest(back);
        expect(conversation(back)).toEqual(conversation(request));
        expect([back.temperature, back.topP, back.maxTokens]).toEqual([
          request.temperature,
          request.topP,
          request.maxCompletionTokens ?? request.maxTokens,
        ]);
        expect(back.stop).toEqual(body?.textGenerationConfig?.stopSequences);
        // And the provider writes the very same body again.
        expect(providerTitanBody(back)).toEqual(body);
      }),
      RUNS,
    );
  });

  it("canonical response -> Titan response -> canonical (provider) keeps text, completion reason and counts", () => {
    fc.assert(
      fc.property(answer({ rich: false }), (shape) => {
        const back = providerReadsTitan(toTitanResponse(responseOf(shape)));
        expect({
          text: back.choices[0]?.message?.content,
          finishReason: back.choices[0]?.finishReason,
          promptTokens: back.usage?.promptTokens,
          completionTokens: back.usage?.completionTokens,
        }).toEqual(expected(shape));
      }),
      RUNS,
    );
  });

  it("canonical stream -> Titan chunks -> canonical stream (provider) keeps text, completion reason and counts", async () => {
    await fc.assert(
      fc.asyncProperty(streamedAnswer({ rich: false }), async ([shape, chunks]) => {
        const writer = new TitanStreamChunks();
        const titan = [...chunks.flatMap((chunk) => writer.chunk(chunk)), ...writer.end()];
        expect(titan.slice(0, -1).every((chunk) => chunk.outputText !== "" && chunk.completionReason === null)).toBe(
          true,
        );
        const said = streamSaid(await providerReadsTitanStream(titan));
        // Without counts on the last chunk, the provider reports no usage.
        expect(said).toEqual(
          shape.usage ? expected(shape) : { ...expected(shape), promptTokens: 0, completionTokens: 0 },
        );
      }),
      RUNS,
    );
  });
});
