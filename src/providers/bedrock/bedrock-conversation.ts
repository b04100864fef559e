import type { ContentPart, Message } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import { type BedrockDocument, readDocument } from "./documents/read-document.js";
import type { BedrockImage } from "./images/image-format.js";

/** A prompt-cache breakpoint after a block: Claude's `cache_control`, Converse's `cachePoint`. */
export interface CacheMark {
  /** `5m` or `1h`; undefined for the model's default (five minutes). */
  ttl: "5m" | "1h" | undefined;
}

/** One piece of a turn, in neither family's wire format yet. */
export type TurnBlock = (
  | { kind: "text"; text: string }
  | { kind: "image"; image: BedrockImage }
  | { kind: "document"; document: BedrockDocument }
  | { kind: "tool-use"; id: string; name: string; input: Record<string, unknown> }
  | { kind: "tool-result"; toolUseId: string; text: string }
  | { kind: "thinking"; thinking: string; signature: string }
  | { kind: "redacted-thinking"; data: string }
) & { cache?: CacheMark };

export interface Turn {
  role: "user" | "assistant";
  blocks: TurnBlock[];
}

/** A system text, and whether the prompt is cached up to its end. */
export interface SystemText {
  text: string;
  cache?: CacheMark;
}

/**
 * A chat as Bedrock models take it: the system texts apart, then turns that
 * alternate user / assistant and start with the user, tool results inside
 * user turns and first in them, reasoning first in assistant turns.
 */
export interface BedrockConversation {
  system: SystemText[];
  turns: Turn[];
  /** The names of the tools called in the history, in order of first use. */
  toolNamesUsed: string[];
}

/** The image of a part, by the part's position (message index, part index). */
export type ImageAt = (messageIndex: number, partIndex: number) => BedrockImage;

/** The cache mark a part's or a tool's `cache_control` asks for (its type and TTL are checked with the cache rules). */
export function cacheOf(marked: { cacheControl?: { ttl: string } | undefined }): { cache?: CacheMark } {
  if (!marked.cacheControl) return {};
  const ttl = marked.cacheControl.ttl;
  return { cache: { ttl: ttl === "5m" || ttl === "1h" ? ttl : undefined } };
}

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

/** What the blocks of a conversation need besides the messages. */
interface BlockSources {
  imageAt: ImageAt;
  /** Document names already given, kept unique across the request (Converse refuses duplicates). */
  documentNames: Set<string>;
}

/** A part's block: text, image or document; blank text gives none. */
function partBlock(part: ContentPart, at: string, index: number, partIndex: number, sources: BlockSources) {
  const cache = cacheOf(part);
  switch (part.type) {
    case "image_url":
      return { kind: "image" as const, image: sources.imageAt(index, partIndex), ...cache };
    case "file":
      return {
        kind: "document" as const,
        document: readDocument(
          part.file ?? ({} as NonNullable<ContentPart["file"]>),
          `${at}.content.[${partIndex}].file`,
          sources.documentNames,
        ),
        ...cache,
      };
    default:
      return hasText(part.text) ? { kind: "text" as const, text: part.text, ...cache } : undefined;
  }
}

/** The reasoning an assistant message carries back, as Claude and Converse want it: first in the turn. */
function reasoningBlocks(message: Message): TurnBlock[] {
  return message.thinkingBlocks.map((block) =>
    block.type === "redacted_thinking"
      ? { kind: "redacted-thinking", data: block.data }
      : { kind: "thinking", thinking: block.thinking, signature: block.signature },
  );
}

function blocksOf(message: Message, index: number, sources: BlockSources): TurnBlock[] {
  const at = `messages.[${index}]`;
  switch (message.role) {
    case "tool": {
      const marked = message.contentParts.find((part) => part.cacheControl);
      return [
        {
          kind: "tool-result",
          toolUseId: message.toolCallId,
          text: messageTexts(message).join(""),
          ...cacheOf(marked ?? {}),
        },
      ];
    }
    case "assistant": {
      const texts: TurnBlock[] = [];
      if (message.content !== undefined && hasText(message.content))
        texts.push({ kind: "text", text: message.content });
      for (const part of message.contentParts) {
        if (part.type === "text" && hasText(part.text)) texts.push({ kind: "text", text: part.text, ...cacheOf(part) });
      }
      const uses: TurnBlock[] = message.toolCalls.map((call, callIndex) => ({
        kind: "tool-use",
        id: call.id,
        name: call.function?.name ?? "",
        input: toolInput(call.function?.arguments ?? "", `${at}.tool_calls.[${callIndex}].function.arguments`),
      }));
      return [...reasoningBlocks(message), ...texts, ...uses];
    }
    default: {
      const blocks: TurnBlock[] = [];
      if (message.content !== undefined && hasText(message.content))
        blocks.push({ kind: "text", text: message.content });
      message.contentParts.forEach((part, partIndex) => {
        const block = partBlock(part, at, index, partIndex, sources);
        if (block) blocks.push(block);
      });
      return blocks;
    }
  }
}

/** A system or developer message's texts, the cache mark on the text part that carries one. */
function systemTexts(message: Message): SystemText[] {
  const texts: SystemText[] = [];
  if (message.content !== undefined && hasText(message.content)) texts.push({ text: message.content });
  for (const part of message.contentParts) {
    if (part.type === "text" && hasText(part.text)) texts.push({ text: part.text, ...cacheOf(part) });
  }
  return texts;
}

/**
 * Turns the canonical messages into a Bedrock conversation: system and
 * developer messages become system texts; tool messages become tool results
 * in user turns; blank text is dropped, and so are turns left empty;
 * neighbouring turns of one role are merged (Bedrock wants them to
 * alternate), tool results first in their turn. An assistant message's
 * thinking blocks open its turn, as Claude requires when it used tools.
 */
export function toBedrockConversation(messages: Message[], imageAt: ImageAt): BedrockConversation {
  const system: SystemText[] = [];
  const turns: Turn[] = [];
  const toolNamesUsed: string[] = [];
  const sources: BlockSources = { imageAt, documentNames: new Set() };
  messages.forEach((message, index) => {
    if (message.role === "system" || message.role === "developer") {
      system.push(...systemTexts(message));
      return;
    }
    const blocks = blocksOf(message, index, sources);
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
