import { create, type JsonObject, type MessageInitShape } from "@bufbuild/protobuf";
import {
  ChatCompletionRequestSchema,
  type ContentPartSchema,
  type MessageSchema,
  type ToolChoiceSchema,
  type ToolSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import type { IncomingRequest } from "../dialect.js";
import { JsonFields } from "../shared/json-fields.js";

type MessageInit = MessageInitShape<typeof MessageSchema>;
type ContentPartInit = MessageInitShape<typeof ContentPartSchema>;
type ToolInit = MessageInitShape<typeof ToolSchema>;
type ToolChoiceInit = MessageInitShape<typeof ToolChoiceSchema>;

function parseContentPart(value: unknown, path: string): ContentPartInit {
  const part = JsonFields.of(value, path);
  const type = part.requiredString("type");
  if (type === "text") return { type, text: part.requiredString("text") };
  if (type === "image_url") {
    // The early API took the URL itself as a string; current clients send {url, detail}.
    const image = part.raw("image_url");
    if (typeof image === "string") return { type, imageUrl: { url: image } };
    const fields = part.nested("image_url");
    if (!fields) throw part.typeError("image_url", "an object");
    return { type, imageUrl: { url: fields.requiredString("url"), detail: fields.string("detail") ?? "" } };
  }
  throw new InvalidRequestError(
    `Invalid value for '${part.param("type")}': '${type}'. Supported values are: 'text' and 'image_url'.`,
    { param: part.param("type"), code: "invalid_value" },
  );
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
  return {
    id: call.string("id") ?? "",
    type: call.string("type") ?? "function",
    function: { name: fn?.string("name") ?? "", arguments: fn?.string("arguments") ?? "" },
  };
}

function parseMessage(value: unknown, path: string): MessageInit {
  const message = JsonFields.of(value, path);
  return {
    role: message.requiredString("role"),
    ...parseContent(message),
    name: message.string("name") ?? "",
    toolCallId: message.string("tool_call_id") ?? "",
    toolCalls: (message.array("tool_calls") ?? []).map(({ value: call, path: at }) => parseToolCall(call, at)),
  };
}

function parseTool(value: unknown, path: string): ToolInit {
  const tool = JsonFields.of(value, path);
  const fn = tool.nested("function");
  const parameters = fn?.nested("parameters");
  const strict = fn?.boolean("strict");
  return {
    type: tool.string("type") ?? "function",
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
 * rejecting wrongly typed fields with the field's name. Fields OpenAI
 * defines but this server does not carry (see the README) are ignored.
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
  const includeUsage = body.nested("stream_options")?.boolean("include_usage");
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
      streamOptions: includeUsage === undefined ? undefined : { includeUsage },
      responseFormat,
    }),
  });
  return { request, stream };
}
