import type { Message } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import type { BedrockImage } from "./images/image-format.js";

/** One piece of a turn, in neither family's wire format yet. */
export type TurnBlock =
  | { kind: "text"; text: string }
  | { kind: "image"; image: BedrockImage }
  | { kind: "tool-use"; id: string; name: string; input: Record<string, unknown> }
  | { kind: "tool-result"; toolUseId: string; text: string };

export interface Turn {
  role: "user" | "assistant";
  blocks: TurnBlock[];
}

/**
 * A chat as Bedrock models take it: the system texts apart, then turns that
 * alternate user / assistant and start with the user, tool results inside
 * user turns and first in them.
 */
export interface BedrockConversation {
  system: string[];
  turns: Turn[];
  /** The names of the tools called in the history, in order of first use. */
  toolNamesUsed: string[];
}

/** The image of a part, by the part's position (message index, part index). */
export type ImageAt = (messageIndex: number, partIndex: number) => BedrockImage;

/** The plain texts of a message: its `content`, then its text parts. */
export function messageTexts(message: Message): string[] {
  const texts = message.content === undefined ? [] : [message.content];
  for (const part of message.contentParts) if (part.type === "text") texts.push(part.text);
  return texts;
}

function toolInput(text: string, param: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidRequestError(`Invalid '${param}': the arguments are not valid JSON.`, {
      param,
      code: "invalid_value",
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestError(`Invalid '${param}': Bedrock models take tool arguments as a JSON object.`, {
      param,
      code: "invalid_value",
    });
  }
  return parsed as Record<string, unknown>;
}

const hasText = (text: string) => text.trim() !== "";

function blocksOf(message: Message, index: number, imageAt: ImageAt): TurnBlock[] {
  const at = `messages.[${index}]`;
  switch (message.role) {
    case "tool":
      return [{ kind: "tool-result", toolUseId: message.toolCallId, text: messageTexts(message).join("") }];
    case "assistant": {
      const texts: TurnBlock[] = messageTexts(message)
        .filter(hasText)
        .map((text) => ({ kind: "text", text }));
      const uses: TurnBlock[] = message.toolCalls.map((call, callIndex) => ({
        kind: "tool-use",
        id: call.id,
        name: call.function?.name ?? "",
        input: toolInput(call.function?.arguments ?? "", `${at}.tool_calls.[${callIndex}].function.arguments`),
      }));
      return [...texts, ...uses];
    }
    default: {
      const blocks: TurnBlock[] = [];
      if (message.content !== undefined && hasText(message.content))
        blocks.push({ kind: "text", text: message.content });
      message.contentParts.forEach((part, partIndex) => {
        if (part.type === "image_url") blocks.push({ kind: "image", image: imageAt(index, partIndex) });
        else if (hasText(part.text)) blocks.push({ kind: "text", text: part.text });
      });
      return blocks;
    }
  }
}

/**
 * Turns the canonical messages into a Bedrock conversation: system and
 * developer messages become system texts; tool messages become tool results
 * in user turns; blank text is dropped, and so are turns left empty;
 * neighbouring turns of one role are merged (Bedrock wants them to
 * alternate), tool results first in their turn.
 */
export function toBedrockConversation(messages: Message[], imageAt: ImageAt): BedrockConversation {
  const system: string[] = [];
  const turns: Turn[] = [];
  const toolNamesUsed: string[] = [];
  messages.forEach((message, index) => {
    if (message.role === "system" || message.role === "developer") {
      system.push(...messageTexts(message).filter(hasText));
      return;
    }
    const blocks = blocksOf(message, index, imageAt);
    for (const block of blocks) {
      if (block.kind === "tool-use" && !toolNamesUsed.includes(block.name)) toolNamesUsed.push(block.name);
    }
    if (blocks.length === 0) return;
    const role = message.role === "assistant" ? "assistant" : "user";
    const previous = turns.at(-1);
    if (previous?.role === role) previous.blocks.push(...blocks);
    else turns.push({ role, blocks });
  });
  for (const turn of turns) {
    if (turn.role === "user") {
      const results = turn.blocks.filter((block) => block.kind === "tool-result");
      turn.blocks = [...results, ...turn.blocks.filter((block) => block.kind !== "tool-result")];
    }
  }
  if (turns[0]?.role !== "user") {
    throw new InvalidRequestError(
      turns.length === 0
        ? "Bedrock models need at least one user message with content."
        : "Bedrock models need the conversation to start with a user message (after any system messages).",
      { param: "messages", code: "invalid_value" },
    );
  }
  return { system, turns, toolNamesUsed };
}

/** True when the history holds tool calls or results (some APIs then require tool definitions). */
export function hasToolBlocks(conversation: BedrockConversation): boolean {
  return conversation.turns.some((turn) =>
    turn.blocks.some((block) => block.kind === "tool-use" || block.kind === "tool-result"),
  );
}
