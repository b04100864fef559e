import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ContentPartSchema, MessageSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { ANTHROPIC_IMAGE_MEDIA_TYPES } from "../../wire/anthropic-messages.js";
import { invalidValue, missing, nonEmptyString, oneOf, quotedList, unsupported } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";

type MessageInit = MessageInitShape<typeof MessageSchema>;
type ContentPartInit = MessageInitShape<typeof ContentPartSchema>;
type ToolCallInit = NonNullable<MessageInit["toolCalls"]>[number];

interface Block {
  fields: JsonFields;
  type: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function blocksOf(items: { value: unknown; path: string }[]): Block[] {
  return items.map(({ value, path }) => {
    const fields = JsonFields.of(value, path);
    return { fields, type: fields.requiredString("type") };
  });
}

function unknownBlock(block: Block, allowed: readonly string[], role: string): never {
  const param = block.fields.param("type");
  throw invalidValue(
    param,
    `Invalid value for '${param}': '${block.type}'. ${role} messages take the block types ${quotedList(allowed)}.`,
  );
}

function textOf(block: Block): string {
  return block.fields.requiredString("text");
}

/** An image block as an image part: base64 sources become `data:` URLs, URL sources stay URLs. */
function imagePart(block: Block): ContentPartInit {
  const source = block.fields.nested("source");
  if (!source) throw missing(block.fields.param("source"));
  const type = oneOf(source, "type", ["base64", "url"] as const);
  if (type === "url") {
    const url = nonEmptyString(source, "url");
    if (!/^https?:\/\//i.test(url)) {
      throw invalidValue(source.param("url"), `Invalid '${source.param("url")}': expected an http(s) URL.`);
    }
    return { type: "image_url", imageUrl: { url } };
  }
  const mediaType = oneOf(source, "media_type", ANTHROPIC_IMAGE_MEDIA_TYPES);
  const data = nonEmptyString(source, "data").replace(/\s+/g, "");
  if (!BASE64.test(data) || data.length % 4 === 1) {
    throw invalidValue(source.param("data"), `Invalid '${source.param("data")}': expected the image bytes in base64.`);
  }
  return { type: "image_url", imageUrl: { url: `data:${mediaType};base64,${data}` } };
}

/** A tool_result block as a `tool` message; its content may be a string or text blocks. */
function toolResultMessage(block: Block): MessageInit {
  const fields = block.fields;
  const toolCallId = nonEmptyString(fields, "tool_use_id");
  // `is_error` has no place in the canonical tool message; the text says what went wrong.
  fields.boolean("is_error");
  const content = fields.raw("content");
  if (content === undefined) return { role: "tool", toolCallId, content: "" };
  if (typeof content === "string") return { role: "tool", toolCallId, content };
  const parts = fields.array("content");
  if (!parts) throw fields.typeError("content", "a string or an array of text blocks");
  const texts = blocksOf(parts).map((part) => {
    if (part.type === "text") return textOf(part);
    throw unsupported(part.fields.param("type"), "tool results carry text only here (no images or documents)");
  });
  return texts.length === 0
    ? { role: "tool", toolCallId, content: "" }
    : { role: "tool", toolCallId, contentParts: texts.map((text) => ({ type: "text", text })) };
}

const USER_BLOCKS = ["text", "image", "tool_result"] as const;

/**
 * A user turn: its tool_result blocks become `tool` messages (first, as the
 * canonical model wants them right after the assistant's calls), the rest
 * one user message with text and image parts.
 */
function userMessages(blocks: Block[]): MessageInit[] {
  const results: MessageInit[] = [];
  const parts: ContentPartInit[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "text":
        parts.push({ type: "text", text: textOf(block) });
        break;
      case "image":
        parts.push(imagePart(block));
        break;
      case "tool_result":
        results.push(toolResultMessage(block));
        break;
      case "document":
        throw unsupported(block.fields.param("type"), "document blocks cannot be carried; send the text instead");
      default:
        unknownBlock(block, USER_BLOCKS, "User");
    }
  }
  return parts.length === 0 ? results : [...results, { role: "user", contentParts: parts }];
}

function toolCall(block: Block): ToolCallInit {
  const fields = block.fields;
  const id = nonEmptyString(fields, "id");
  const name = nonEmptyString(fields, "name");
  const input = fields.nested("input");
  if (!input) throw missing(fields.param("input"));
  return { id, type: "function", function: { name, arguments: JSON.stringify(input.object) } };
}

const ASSISTANT_BLOCKS = ["text", "tool_use", "thinking", "redacted_thinking"] as const;

/**
 * An assistant turn: text blocks as its content, tool_use blocks as tool
 * calls. Thinking blocks are dropped: extended thinking is not offered, and
 * no other model reads them. A turn left with nothing is dropped.
 */
function assistantMessages(blocks: Block[]): MessageInit[] {
  const texts: string[] = [];
  const toolCalls: ToolCallInit[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "text":
        texts.push(textOf(block));
        break;
      case "tool_use":
        toolCalls.push(toolCall(block));
        break;
      case "thinking":
      case "redacted_thinking":
        break;
      default:
        unknownBlock(block, ASSISTANT_BLOCKS, "Assistant");
    }
  }
  if (texts.length === 0 && toolCalls.length === 0) return [];
  const content: Pick<MessageInit, "content" | "contentParts"> =
    texts.length === 0
      ? {}
      : texts.length === 1
        ? { content: texts[0] }
        : { contentParts: texts.map((text) => ({ type: "text", text })) };
  return [{ role: "assistant", ...content, toolCalls }];
}

/** One Anthropic message as canonical messages (a user turn with tool results gives several). */
function fromAnthropicMessage(value: unknown, path: string): MessageInit[] {
  const message = JsonFields.of(value, path);
  const role = oneOf(message, "role", ["user", "assistant"] as const);
  const raw = message.raw("content");
  if (raw === undefined) throw missing(message.param("content"));
  if (typeof raw === "string") return [{ role, content: raw }];
  const items = message.array("content");
  if (!items) throw message.typeError("content", "a string or an array of content blocks");
  if (items.length === 0 && role === "user") {
    throw invalidValue(message.param("content"), `Invalid '${message.param("content")}': it must not be empty.`);
  }
  const blocks = blocksOf(items);
  return role === "user" ? userMessages(blocks) : assistantMessages(blocks);
}

/** Anthropic's `messages` as canonical messages, in order. */
export function fromAnthropicMessages(items: { value: unknown; path: string }[]): MessageInit[] {
  if (items.length === 0) throw invalidValue("messages", "'messages' must contain at least one message.");
  return items.flatMap(({ value, path }) => fromAnthropicMessage(value, path));
}

/** Anthropic's top-level `system` (a string or text blocks) as one system message; none when empty. */
export function fromAnthropicSystem(body: JsonFields): MessageInit[] {
  const raw = body.raw("system");
  if (raw === undefined || raw === "") return [];
  if (typeof raw === "string") return [{ role: "system", content: raw }];
  const items = body.array("system");
  if (!items) throw body.typeError("system", "a string or an array of text blocks");
  const texts = blocksOf(items).map((block) => {
    if (block.type === "text") return textOf(block);
    return unknownBlock(block, ["text"], "System");
  });
  return texts.length === 0 ? [] : [{ role: "system", contentParts: texts.map((text) => ({ type: "text", text })) }];
}
