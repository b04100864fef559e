import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ContentPartSchema, MessageSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { ANTHROPIC_IMAGE_MEDIA_TYPES } from "../../wire/anthropic-messages.js";
import { invalidValue, missing, nonEmptyString, oneOf, quotedList, unsupported } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";

type MessageInit = MessageInitShape<typeof MessageSchema>;
type ContentPartInit = MessageInitShape<typeof ContentPartSchema>;
type ToolCallInit = NonNullable<MessageInit["toolCalls"]>[number];
type ThinkingBlockInit = NonNullable<MessageInit["thinkingBlocks"]>[number];

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

/** A block's `cache_control` (`{type, ttl?}`), for the canonical part or tool. */
export function cacheControlOf(fields: JsonFields): Pick<ContentPartInit, "cacheControl"> {
  const control = fields.nested("cache_control");
  if (!control) return {};
  return { cacheControl: { type: control.requiredString("type"), ttl: control.string("ttl") ?? "" } };
}

function textPart(block: Block): ContentPartInit {
  return { type: "text", text: textOf(block), ...cacheControlOf(block.fields) };
}

/** A document block as a file part: a base64 PDF or plain text, as a data URL; its title as the file name. */
function documentPart(block: Block): ContentPartInit {
  const source = block.fields.nested("source");
  if (!source) throw missing(block.fields.param("source"));
  const type = oneOf(source, "type", ["base64", "text"] as const);
  const mediaType = oneOf(
    source,
    "media_type",
    type === "base64" ? (["application/pdf"] as const) : (["text/plain"] as const),
  );
  const data = source.requiredString("data");
  const base64 = type === "text" ? Buffer.from(data).toString("base64") : data.replace(/\s+/g, "");
  for (const key of ["context", "citations"]) {
    if (block.fields.has(key))
      throw unsupported(block.fields.param(key), "document context and citations cannot be carried");
  }
  return {
    type: "file",
    file: { fileData: `data:${mediaType};base64,${base64}`, filename: block.fields.string("title") ?? "" },
    ...cacheControlOf(block.fields),
  };
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
    return { type: "image_url", imageUrl: { url }, ...cacheControlOf(block.fields) };
  }
  const mediaType = oneOf(source, "media_type", ANTHROPIC_IMAGE_MEDIA_TYPES);
  const data = nonEmptyString(source, "data").replace(/\s+/g, "");
  if (!BASE64.test(data) || data.length % 4 === 1) {
    throw invalidValue(source.param("data"), `Invalid '${source.param("data")}': expected the image bytes in base64.`);
  }
  return { type: "image_url", imageUrl: { url: `data:${mediaType};base64,${data}` }, ...cacheControlOf(block.fields) };
}

/** A tool_result block as a `tool` message; its content may be a string or text blocks. */
function toolResultMessage(block: Block): MessageInit {
  const fields = block.fields;
  const toolCallId = nonEmptyString(fields, "tool_use_id");
  // `is_error` has no place in the canonical tool message; the text says what went wrong.
  fields.boolean("is_error");
  const cache = cacheControlOf(fields);
  const content = fields.raw("content");
  if (content === undefined || content === "") {
    return cache.cacheControl
      ? { role: "tool", toolCallId, contentParts: [{ type: "text", text: "", ...cache }] }
      : { role: "tool", toolCallId, content: "" };
  }
  if (typeof content === "string") {
    return cache.cacheControl
      ? { role: "tool", toolCallId, contentParts: [{ type: "text", text: content, ...cache }] }
      : { role: "tool", toolCallId, content };
  }
  const parts = fields.array("content");
  if (!parts) throw fields.typeError("content", "a string or an array of text blocks");
  const texts: ContentPartInit[] = blocksOf(parts).map((part) => {
    if (part.type === "text") return textPart(part);
    throw unsupported(part.fields.param("type"), "tool results carry text only here (no images or documents)");
  });
  // The result's cache mark goes on its last part: the prompt is cached up to the result's end.
  const last = texts.at(-1);
  if (cache.cacheControl && last) last.cacheControl = cache.cacheControl;
  else if (cache.cacheControl) texts.push({ type: "text", text: "", ...cache });
  return texts.length === 0
    ? { role: "tool", toolCallId, content: "" }
    : { role: "tool", toolCallId, contentParts: texts };
}

const USER_BLOCKS = ["text", "image", "document", "tool_result"] as const;

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
        parts.push(textPart(block));
        break;
      case "image":
        parts.push(imagePart(block));
        break;
      case "tool_result":
        results.push(toolResultMessage(block));
        break;
      case "document":
        parts.push(documentPart(block));
        break;
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
 * calls, thinking and redacted_thinking blocks as its thinking blocks (sent
 * back to Claude as they came). A turn left with nothing is dropped.
 */
function assistantMessages(blocks: Block[]): MessageInit[] {
  const texts: ContentPartInit[] = [];
  const toolCalls: ToolCallInit[] = [];
  const thinkingBlocks: ThinkingBlockInit[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "text":
        texts.push(textPart(block));
        break;
      case "tool_use":
        toolCalls.push(toolCall(block));
        break;
      case "thinking":
        thinkingBlocks.push({
          type: "thinking",
          thinking: block.fields.requiredString("thinking"),
          signature: block.fields.requiredString("signature"),
        });
        break;
      case "redacted_thinking":
        thinkingBlocks.push({ type: "redacted_thinking", data: block.fields.requiredString("data") });
        break;
      default:
        unknownBlock(block, ASSISTANT_BLOCKS, "Assistant");
    }
  }
  if (texts.length === 0 && toolCalls.length === 0 && thinkingBlocks.length === 0) return [];
  const content: Pick<MessageInit, "content" | "contentParts"> =
    texts.length === 0
      ? {}
      : texts.length === 1 && !texts[0]?.cacheControl
        ? { content: texts[0]?.text ?? "" }
        : { contentParts: texts };
  return [{ role: "assistant", ...content, toolCalls, thinkingBlocks }];
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
    if (block.type === "text") return textPart(block);
    return unknownBlock(block, ["text"], "System");
  });
  return texts.length === 0 ? [] : [{ role: "system", contentParts: texts }];
}
