/**
 * Property tests of the Claude pair: what the Claude provider writes, the
 * formats layer reads back to the same request; what the formats layer
 * writes, the Claude provider reads back to the same answer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  Message,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { validateChatRequest } from "../../../src/core/validate-request.js";
import { fromAnthropicRequest } from "../../../src/dialects/anthropic-messages/from-anthropic-request.js";
import { toAnthropicResponse } from "../../../src/dialects/anthropic-messages/to-anthropic-response.js";
import { AnthropicStreamEvents } from "../../../src/dialects/anthropic-messages/to-anthropic-stream-events.js";
import type { AnthropicMessagesRequest } from "../../../src/wire/anthropic-messages.js";
import { type AnswerShape, answer, responseOf, streamedAnswer } from "../../arbitraries/answers.js";
import { claudeCarriedRequest } from "../../arbitraries/carried-requests.js";
import { providerClaudeBody, providerReadsClaude, providerReadsClaudeStream } from "../provider-bodies.js";

const RUNS = { numRuns: 150 };
const blank = (text: string) => text.trim() === "";

/**
 * What a request says, kind by kind, as a Bedrock model would see it: blank
 * text is dropped on the way, and tools that cannot be called (none given,
 * or `tool_choice: none` with no tool turns in the history) are no tools.
 */
function meaning(request: ChatCompletionRequest) {
  const texts = (message: Message) =>
    [message.content ?? "", ...message.contentParts.map((part) => (part.type === "text" ? part.text : ""))].filter(
      (text) => !blank(text),
    );
  const of = (roles: string[]) => request.messages.filter((message) => roles.includes(message.role));
  const history = request.messages.some((message) => message.toolCalls.length > 0 || message.role === "tool");
  const tools = request.toolChoice?.type === "none" && !history ? [] : request.tools;
  return {
    system: of(["system", "developer"]).flatMap(texts),
    user: of(["user"]).flatMap(texts),
    assistant: of(["assistant"]).flatMap(texts),
    images: of(["user"]).flatMap((message) => message.contentParts.flatMap((part) => part.imageUrl?.url ?? [])),
    calls: of(["assistant"]).flatMap((message) =>
      message.toolCalls.map((call) => [call.id, call.function?.name, JSON.parse(call.function?.arguments || "{}")]),
    ),
    results: of(["tool"]).map((message) => [message.toolCallId, texts(message).join("")]),
    tools: tools.map((tool) => [tool.function?.name, tool.function?.description, tool.function?.parameters]),
    // With tools, no tool_choice means auto (OpenAI's default and Claude's);
    // Claude on Bedrock has no none, so tools a history needs go unforced.
    choice:
      tools.length === 0
        ? undefined
        : [
            request.toolChoice?.type === "none" ? "auto" : (request.toolChoice?.type ?? "auto"),
            request.toolChoice?.function?.name ?? "",
          ],
    // One call at most means nothing when no call may be made.
    oneCallOnly: request.parallelToolCalls === false && tools.length > 0 && request.toolChoice?.type !== "none",
    stop: request.stop.filter((stop) => stop !== ""),
    sampling: [request.temperature, request.topP, request.topK],
  };
}

/** The Claude body the provider sends, or undefined for a request the provider itself refuses. */
async function providerBody(request: ChatCompletionRequest): Promise<AnthropicMessagesRequest | undefined> {
  try {
    validateChatRequest(request);
    return await providerClaudeBody(request);
  } catch {
    return undefined;
  }
}

function said(response: ChatCompletionResponse) {
  const choice = response.choices[0];
  return {
    text: choice?.message?.content ?? "",
    calls: (choice?.message?.toolCalls ?? []).map((call) => [
      call.id,
      call.function?.name,
      JSON.parse(call.function?.arguments || "{}"),
    ]),
    finishReason: choice?.finishReason,
  };
}

const expectedSaid = (shape: AnswerShape) => ({
  text: shape.text,
  calls: shape.calls.map((call) => [call.id, call.name, call.input]),
  finishReason: shape.finishReason,
});

const expectedUsage = (shape: AnswerShape) =>
  shape.usage && { promptTokens: shape.usage.promptTokens, completionTokens: shape.usage.completionTokens };

function streamSaid(chunks: ChatCompletionChunk[]) {
  const calls: [string, string, string][] = [];
  for (const chunk of chunks) {
    for (const call of chunk.choices[0]?.delta?.toolCalls ?? []) {
      if (call.id !== undefined) calls[call.index] = [call.id, call.function?.name ?? "", ""];
      const seen = calls[call.index];
      if (seen) seen[2] += call.function?.arguments ?? "";
    }
  }
  return {
    text: chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join(""),
    calls: calls.map(([id, name, args]) => [id, name, JSON.parse(args || "{}")]),
    finishReason: chunks.find((chunk) => chunk.choices[0]?.finishReason)?.choices[0]?.finishReason,
  };
}

describe("Claude round trips", () => {
  it("canonical -> Claude body (provider) -> canonical keeps texts, images, tool calls and results, tools, stops", async () => {
    await fc.assert(
      fc.asyncProperty(claudeCarriedRequest, async (request) => {
        const body = await providerBody(request);
        fc.pre(body !== undefined);
        const { request: back } = fromAnthropicRequest(body, { model: request.model });
        validateChatRequest(back);
        expect(meaning(back)).toEqual(meaning(request));
        expect(back.maxTokens).toBe(body?.max_tokens);
        // And the provider writes the very same body again.
        expect(await providerClaudeBody(back)).toEqual(body);
      }),
      RUNS,
    );
  });

  it("canonical response -> Claude response -> canonical (provider) keeps text, tool calls, stop reason and usage", () => {
    fc.assert(
      fc.property(answer({ rich: true }), (shape) => {
        const back = providerReadsClaude(toAnthropicResponse(responseOf(shape)));
        expect(said(back)).toEqual(expectedSaid(shape));
        expect(
          back.usage && { promptTokens: back.usage.promptTokens, completionTokens: back.usage.completionTokens },
        ).toEqual(expectedUsage(shape) ?? { promptTokens: 0, completionTokens: 0 });
        expect(back.usage?.promptTokensDetails?.cachedTokens).toBe(shape.usage?.promptTokensDetails?.cachedTokens);
      }),
      RUNS,
    );
  });

  it("canonical stream -> Claude events -> canonical stream (provider) keeps text, tool calls, stop reason and usage", async () => {
    await fc.assert(
      fc.asyncProperty(streamedAnswer({ rich: true }), async ([shape, chunks]) => {
        const writer = new AnthropicStreamEvents();
        const events = [...chunks.flatMap((chunk) => writer.chunk(chunk)), ...writer.end()];
        const back = await providerReadsClaudeStream(events);
        expect(streamSaid(back)).toEqual(expectedSaid(shape));
        const usage = back.at(-1)?.usage;
        expect(usage && { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens }).toEqual(
          expectedUsage(shape) ?? { promptTokens: 0, completionTokens: 0 },
        );
        // Blocks open and close in turn, indexed from 0.
        const order = events.flatMap((event) =>
          event.type === "content_block_start"
            ? [`+${event.index}`]
            : event.type === "content_block_stop"
              ? [`-${event.index}`]
              : [],
        );
        expect(order).toEqual(order.map((_, at) => `${at % 2 === 0 ? "+" : "-"}${Math.floor(at / 2)}`));
      }),
      RUNS,
    );
  });
});
