import { create, type JsonObject, type MessageInitShape } from "@bufbuild/protobuf";
import {
  ChatCompletionRequestSchema,
  type ContentPartSchema,
  type MessageSchema,
  type ThinkingBlockSchema,
  type ToolChoiceSchema,
  type ToolSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import { otherFields } from "../../core/extension-fields.js";
import type { IncomingRequest } from "../dialect.js";
import { JsonFields } from "../shared/json-fields.js";

type MessageInit = MessageInitShape<typeof MessageSchema>;
type ContentPartInit = MessageInitShape<typeof ContentPartSchema>;
type ToolInit = MessageInitShape<typeof ToolSchema>;
type ToolChoiceInit = MessageInitShape<typeof ToolChoiceSchema>;
type ThinkingBlockInit = MessageInitShape<typeof ThinkingBlockSchema>;

// The fields each object's reader maps; the others travel in its `extensions`.
const REQUEST_KEYS = new Set([
  "model",
  "messages",
  "stop",
  "tools",
  "tool_choice",
  "stream",
  "user",
  "reasoning_effort",
  "temperature",
  "top_p",
  "max_tokens",
  "max_completion_tokens",
  "n",
  "presence_penalty",
  "frequency_penalty",
  "parallel_tool_calls",
  "top_k",
  "seed",
  "stream_options",
  "response_format",
]);
const MESSAGE_KEYS = new Set([
  "role",
  "content",
  "name",
  "tool_call_id",
  "tool_calls",
  "reasoning_content",
  "thinking_blocks",
]);
const PART_KEYS: Record<string, ReadonlySet<string>> = {
  text: new Set(["type", "text", "cache_control"]),
  image_url: new Set(["type", "image_url", "cache_control"]),
  file: new Set(["type", "file", "cache_control"]),
};
const OTHER_PART_KEYS = new Set(["type", "cache_control"]);
const TOOL_KEYS = new Set(["type", "function", "cache_control"]);
const TOOL_CALL_KEYS = new Set(["id", "type", "function"]);
const STREAM_OPTION_KEYS = new Set(["include_usage"]);

function extensions(fields: JsonFields, known: ReadonlySet<string>) {
  const rest = otherFields(fields.object, known);
  return rest === undefined ? {} : { extensions: rest };
}

/** Anthropic's `cache_control` on a part or a tool: `{type, ttl?}`. */
function parseCacheControl(fields: JsonFields) {
  const control = fields.nested("cache_control");
  if (!control) return {};
  return { cacheControl: { type: control.requiredString("type"), ttl: control.string("ttl") ?? "" } };
}

function parseContentPart(value: unknown, path: string): ContentPartInit {
  const part = JsonFields.of(value, path);
  const type = part.requiredString("type");
  const common = { type, ...parseCacheControl(part), ...extensions(part, PART_KEYS[type] ?? OTHER_PART_KEYS) };
  if (type === "text") return { ...common, text: part.requiredString("text") };
  if (type === "image_url") {
    // The early API took the URL itself as a string; current clients send {url, detail}.
    const image = part.raw("image_url");
    if (typeof image === "string") return { ...common, imageUrl: { url: image } };
    const fields = part.nested("image_url");
    if (!fields) throw part.typeError("image_url", "an object");
    return { ...common, imageUrl: { url: fields.requiredString("url"), detail: fields.string("detail") ?? "" } };
  }
  if (type === "file") {
    const file = part.nested("file");
    if (!file) throw part.typeError("file", "an object");
    return {
      ...common,
      file: {
        fileData: file.string("file_data") ?? "",
        fileId: file.string("file_id") ?? "",
        filename: file.string("filename") ?? "",
      },
    };
  }
  // Other part types (`input_audio` ...) are OpenAI's to read.
  return common;
}

function parseThinkingBlock(value: unknown, path: string): ThinkingBlockInit {
  const block = JsonFields.of(value, path);
  return {
    type: block.requiredString("type"),
    thinking: block.string("thinking") ?? "",
    signature: block.string("signature") ?? "",
    data: block.string("data") ?? "",
  };
}

function parseContent(message: JsonFields): Pick<MessageInit, "content" | "contentParts"> {
  const content = message.raw("content");
  if (content === undefined) return {};
  if (typeof content === "string") return { content };
  const parts = message.array("content");
  if (!parts) throw message.typeError("content", "a string or an array of content parts");
  return { contentParts: parts.map(({ value, path }) => parseContentPart(value, path)) };
}

function parseToolCall(value: unknown, path: string) {
  const call = JsonFields.of(value, path);
  const fn = call.nested("function");
  const type = call.string("type") ?? "function";
  return {
    id: call.string("id") ?? "",
    type,
    // A call of another type (OpenAI's `custom` ...) keeps its fields in `extensions`.
    ...(fn || type === "function"
      ? { function: { name: fn?.string("name") ?? "", arguments: fn?.string("arguments") ?? "" } }
      : {}),
    ...extensions(call, TOOL_CALL_KEYS),
  };
}

function parseMessage(value: unknown, path: string): MessageInit {
  const message = JsonFields.of(value, path);
  const reasoning = message.string("reasoning_content");
  return {
    role: message.requiredString("role"),
    ...parseContent(message),
    name: message.string("name") ?? "",
    toolCallId: message.string("tool_call_id") ?? "",
    toolCalls: (message.array("tool_calls") ?? []).map(({ value: call, path: at }) => parseToolCall(call, at)),
    ...(reasoning === undefined ? {} : { reasoningContent: reasoning }),
    thinkingBlocks: (message.array("thinking_blocks") ?? []).map(({ value: block, path: at }) =>
      parseThinkingBlock(block, at),
    ),
    ...extensions(message, MESSAGE_KEYS),
  };
}

function parseTool(value: unknown, path: string): ToolInit {
  const tool = JsonFields.of(value, path);
  const type = tool.string("type") ?? "function";
  const fn = tool.nested("function");
  const common = { type, ...parseCacheControl(tool), ...extensions(tool, TOOL_KEYS) };
  // A tool of another type (OpenAI's `custom` ...) keeps its fields in `extensions`.
  if (!fn && type !== "function") return common;
  const parameters = fn?.nested("parameters");
  const strict = fn?.boolean("strict");
  return {
    ...common,
    function: {
      name: fn?.string("name") ?? "",
      description: fn?.string("description") ?? "",
      ...(parameters ? { parameters: parameters.object as JsonObject } : {}),
      ...(strict === undefined ? {} : { strict }),
    },
  };
}

interface ToolSelection {
  tools: ToolInit[];
  toolChoice?: ToolChoiceInit;
}

/**
 * `tool_choice` as a string, a named function, or OpenAI's `allowed_tools`
 * form; the last is applied here by keeping only the allowed tools.
 */
function parseToolSelection(body: JsonFields): ToolSelection {
  const tools = (body.array("tools") ?? []).map(({ value, path }) => parseTool(value, path));
  const raw = body.raw("tool_choice");
  if (raw === undefined) return { tools };
  if (typeof raw === "string") return { tools, toolChoice: { type: raw } };
  const choice = body.nested("tool_choice");
  if (!choice) throw body.typeError("tool_choice", "a string or an object");
  const type = choice.requiredString("type");
  if (type === "allowed_tools") {
    const allowed = choice.nested("allowed_tools");
    const mode = allowed?.string("mode") ?? "auto";
    const names = new Set(
      (allowed?.array("tools") ?? []).map(
        ({ value, path }) => JsonFields.of(value, path).nested("function")?.string("name") ?? "",
      ),
    );
    return { tools: tools.filter((tool) => names.has(tool.function?.name ?? "")), toolChoice: { type: mode } };
  }
  return { tools, toolChoice: { type, function: { name: choice.nested("function")?.string("name") ?? "" } } };
}

function parseResponseFormat(body: JsonFields) {
  const format = body.nested("response_format");
  if (!format) return undefined;
  const schema = format.nested("json_schema");
  const strict = schema?.boolean("strict");
  const schemaObject = schema?.nested("schema");
  return {
    type: format.requiredString("type"),
    ...(schema
      ? {
          jsonSchema: {
            name: schema.string("name") ?? "",
            description: schema.string("description") ?? "",
            ...(schemaObject ? { schema: schemaObject.object as JsonObject } : {}),
            ...(strict === undefined ? {} : { strict }),
          },
        }
      : {}),
  };
}

function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Reads an OpenAI Chat Completions body into the canonical request,
 * rejecting wrongly typed fields with the field's name. Fields this reader
 * does not map (OpenAI's `logprobs`, `service_tier`, fields newer than this
 * server ...) go into the `extensions` of the object they belong to, as
 * they are: OpenAI gets them back unchanged, Bedrock decides per field.
 */
export function parseChatRequest(value: unknown): IncomingRequest {
  const body = JsonFields.of(value, "");
  const messages = body.array("messages");
  if (messages === undefined) {
    throw new InvalidRequestError("Missing required parameter: 'messages'.", {
      param: "messages",
      code: "missing_required_parameter",
    });
  }
  const seed = body.integer("seed");
  const streamOptions = body.nested("stream_options");
  const responseFormat = parseResponseFormat(body);
  const stream = body.boolean("stream") ?? false;
  const request = create(ChatCompletionRequestSchema, {
    model: body.string("model") ?? "",
    messages: messages.map(({ value: message, path }) => parseMessage(message, path)),
    stop: body.strings("stop") ?? [],
    ...parseToolSelection(body),
    stream,
    user: body.string("user") ?? "",
    reasoningEffort: body.string("reasoning_effort") ?? "",
    ...defined({
      temperature: body.number("temperature"),
      topP: body.number("top_p"),
      maxTokens: body.integer("max_tokens"),
      maxCompletionTokens: body.integer("max_completion_tokens"),
      n: body.integer("n"),
      presencePenalty: body.number("presence_penalty"),
      frequencyPenalty: body.number("frequency_penalty"),
      parallelToolCalls: body.boolean("parallel_tool_calls"),
      topK: body.integer("top_k"),
      seed: seed === undefined ? undefined : BigInt(seed),
      streamOptions: streamOptions
        ? {
            includeUsage: streamOptions.boolean("include_usage") ?? false,
            ...extensions(streamOptions, STREAM_OPTION_KEYS),
          }
        : undefined,
      responseFormat,
      extensions: otherFields(body.object, REQUEST_KEYS),
    }),
  });
  return { request, stream };
}
