import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Message, MessageSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { validateChatRequest } from "../../../src/core/validate-request.js";
import {
  messageTexts,
  type TurnBlock,
  toBedrockConversation,
} from "../../../src/providers/bedrock/bedrock-conversation.js";
import { messages as messageSequences } from "../../arbitraries/canonical-requests.js";
import { anImage, PNG } from "../../arbitraries/images.js";

const msg = (init: Parameters<typeof create<typeof MessageSchema>>[1]) => create(MessageSchema, init);

/** Whether the core would let these messages reach a provider. */
function valid(messages: Message[]): boolean {
  try {
    validateChatRequest({ messages, stop: [], tools: [] } as never);
    return true;
  } catch {
    return false;
  }
}

function convert(messages: Message[]) {
  try {
    return toBedrockConversation(messages, anImage);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
}

const textOf = (block: TurnBlock) => (block.kind === "text" ? block.text : undefined);

describe("toBedrockConversation", () => {
  it("keeps system texts apart, merges tool results into one user turn, results first", () => {
    const conversation = toBedrockConversation(
      [
        msg({ role: "system", content: "Be brief." }),
        msg({ role: "user", content: "Weather in Paris and Rome?" }),
        msg({
          role: "assistant",
          content: "Looking.",
          toolCalls: [
            { id: "a", type: "function", function: { name: "w", arguments: '{"city":"Paris"}' } },
            { id: "b", type: "function", function: { name: "w", arguments: '{"city":"Rome"}' } },
          ],
        }),
        msg({ role: "tool", toolCallId: "a", content: "22C" }),
        msg({ role: "tool", toolCallId: "b", contentParts: [{ type: "text", text: "25C" }] }),
        msg({ role: "user", content: "Thanks, and tomorrow?" }),
        msg({ role: "developer", content: "Answer in French." }),
      ],
      anImage,
    );
    expect(conversation.system).toEqual([{ text: "Be brief." }, { text: "Answer in French." }]);
    expect(conversation.toolNamesUsed).toEqual(["w"]);
    expect(conversation.turns).toEqual([
      { role: "user", blocks: [{ kind: "text", text: "Weather in Paris and Rome?" }] },
      {
        role: "assistant",
        blocks: [
          { kind: "text", text: "Looking." },
          { kind: "tool-use", id: "a", name: "w", input: { city: "Paris" } },
          { kind: "tool-use", id: "b", name: "w", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        blocks: [
          { kind: "tool-result", toolUseId: "a", text: "22C" },
          { kind: "tool-result", toolUseId: "b", text: "25C" },
          { kind: "text", text: "Thanks, and tomorrow?" },
        ],
      },
    ]);
  });

  it("puts the text before the parts, and images where they were", () => {
    const { turns } = toBedrockConversation(
      [
        msg({
          role: "user",
          content: "Look:",
          contentParts: [
            { type: "image_url", imageUrl: { url: "data:..." } },
            { type: "text", text: "what is it?" },
          ],
        }),
      ],
      anImage,
    );
    expect(turns[0]?.blocks).toEqual([
      { kind: "text", text: "Look:" },
      { kind: "image", image: PNG },
      { kind: "text", text: "what is it?" },
    ]);
  });

  it("drops an empty assistant turn and merges the user turns around it", () => {
    const { turns } = toBedrockConversation(
      [
        msg({ role: "user", content: "a" }),
        msg({ role: "assistant", content: "" }),
        msg({ role: "user", content: "b" }),
      ],
      anImage,
    );
    expect(turns).toEqual([
      {
        role: "user",
        blocks: [
          { kind: "text", text: "a" },
          { kind: "text", text: "b" },
        ],
      },
    ]);
  });

  it.each([
    [[msg({ role: "assistant", content: "Hi, how can I help?" }), msg({ role: "user", content: "x" })], "messages"],
    [[msg({ role: "system", content: "only a system prompt" })], "messages"],
    [
      [
        msg({ role: "user", content: "x" }),
        msg({ role: "assistant", toolCalls: [{ id: "1", type: "function", function: { name: "f", arguments: "{" } }] }),
      ],
      "messages.[1].tool_calls.[0].function.arguments",
    ],
    [
      [
        msg({ role: "user", content: "x" }),
        msg({
          role: "assistant",
          toolCalls: [{ id: "1", type: "function", function: { name: "f", arguments: "[]" } }],
        }),
      ],
      "messages.[1].tool_calls.[0].function.arguments",
    ],
  ])("refuses what Bedrock cannot take (%#), naming %s", (messages, param) => {
    const result = convert(messages);
    expect(result).toBeInstanceOf(InvalidRequestError);
    expect((result as InvalidRequestError).param).toBe(param);
  });

  it("always gives alternating turns that start with the user, or a clear refusal", () => {
    fc.assert(
      fc.property(messageSequences, (messages) => {
        fc.pre(valid(messages));
        const result = convert(messages);
        if (result instanceof InvalidRequestError) return;
        const { turns } = result;
        expect(turns[0]?.role).toBe("user");
        turns.forEach((turn, index) => {
          expect(turn.blocks.length).toBeGreaterThan(0);
          if (index > 0) expect(turn.role).not.toBe(turns[index - 1]?.role);
          const firstOther = turn.blocks.findIndex((block) => block.kind !== "tool-result");
          if (firstOther !== -1)
            expect(turn.blocks.slice(firstOther).some((b) => b.kind === "tool-result")).toBe(false);
          for (const block of turn.blocks) if (block.kind === "text") expect(block.text.trim()).not.toBe("");
          if (turn.role === "assistant")
            expect(turn.blocks.every((b) => b.kind === "text" || b.kind === "tool-use")).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("loses no text: every non-blank text arrives, in order, in its place", () => {
    fc.assert(
      fc.property(messageSequences, (messages) => {
        fc.pre(valid(messages));
        const result = convert(messages);
        if (result instanceof InvalidRequestError) return;
        const chat = messages.filter((m) => m.role === "user" || m.role === "assistant");
        const expected = chat.flatMap((m) => messageTexts(m).filter((t) => t.trim() !== ""));
        const got = result.turns.flatMap((turn) => turn.blocks.map(textOf).filter((t) => t !== undefined));
        expect(got).toEqual(expected);
        const system = messages.filter((m) => m.role === "system" || m.role === "developer");
        expect(result.system.map((part) => part.text)).toEqual(
          system.flatMap((m) => messageTexts(m).filter((t) => t.trim() !== "")),
        );
        const results = messages.filter((m) => m.role === "tool").map((m) => m.toolCallId);
        const gotResults = result.turns.flatMap((t) =>
          t.blocks.flatMap((b) => (b.kind === "tool-result" ? [b.toolUseId] : [])),
        );
        expect(gotResults.sort()).toEqual(results.sort());
      }),
      { numRuns: 500 },
    );
  });
});
