import type {
  ChatCompletionContentPart,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ReasoningEffort, ResponseFormatJSONSchema } from "openai/resources/shared";
import type {
  CacheControl,
  ChatCompletionRequest,
  ContentPart,
  FileContent,
  Message,
  ResponseFormat,
  Tool,
  ToolCall,
  ToolChoice,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { type PartialParameterTable, readParameters } from "../../core/parameter-table.js";

export type OpenAIRequestBody = ChatCompletionCreateParamsNonStreaming;
export type OpenAIStreamBody = ChatCompletionCreateParamsStreaming;

const IMAGE_DETAILS = ["auto", "low", "high"] as const;
type ImageDetail = (typeof IMAGE_DETAILS)[number];

type JsonOf<T> = T & Record<string, unknown>;

function cacheControlJson(part: { cacheControl?: CacheControl | undefined }) {
  const control = part.cacheControl;
  if (!control) return {};
  return { cache_control: { type: control.type, ...(control.ttl ? { ttl: control.ttl } : {}) } };
}

function imagePart(part: ContentPart, url: string, detail: string): ChatCompletionContentPartImage {
  const known = (IMAGE_DETAILS as readonly string[]).includes(detail);
  return {
    ...part.extensions,
    type: "image_url",
    image_url: { url, ...(known ? { detail: detail as ImageDetail } : {}) },
    ...cacheControlJson(part),
  };
}

function filePart(part: ContentPart, file: FileContent): ChatCompletionContentPart.File {
  return {
    ...part.extensions,
    type: "file",
    file: {
      ...(file.fileData ? { file_data: file.fileData } : {}),
      ...(file.fileId ? { file_id: file.fileId } : {}),
      ...(file.filename ? { filename: file.filename } : {}),
    },
    ...cacheControlJson(part),
  };
}

/** A part as the caller sent it: its type, its fields, its cache_control and its other fields. */
function partJson(part: ContentPart): ChatCompletionContentPart {
  if (part.type === "image_url" && part.imageUrl) return imagePart(part, part.imageUrl.url, part.imageUrl.detail);
  if (part.type === "file" && part.file) return filePart(part, part.file);
  if (part.type === "text") return { ...part.extensions, type: "text", text: part.text, ...cacheControlJson(part) };
  // Part types this server does not read (`input_audio` ...) are all in their extensions.
  return { ...part.extensions, type: part.type, ...cacheControlJson(part) } as JsonOf<ChatCompletionContentPartText>;
}

/** A message's content: its plain text alone, or its plain text first, then its parts in order. */
function contentOf(message: Message): string | ChatCompletionContentPart[] {
  if (message.contentParts.length === 0) return message.content ?? "";
  const parts: ChatCompletionContentPart[] = message.content ? [{ type: "text", text: message.content }] : [];
  for (const part of message.contentParts) parts.push(partJson(part));
  return parts;
}

/** A legacy function message's text: its content string, or its text parts joined. */
function messageText(message: Message): string {
  return message.contentParts.map((part) => part.text).join("");
}

/** Roles other than user take text parts only in OpenAI's types; the parts still go as the caller sent them. */
function textContent(message: Message): string | ChatCompletionContentPartText[] {
  return contentOf(message) as string | ChatCompletionContentPartText[];
}

function toolCallJson(call: ToolCall): ChatCompletionMessageToolCall {
  return {
    ...call.extensions,
    id: call.id,
    type: call.type as "function",
    ...(call.function ? { function: { name: call.function.name, arguments: call.function.arguments } } : {}),
  } as ChatCompletionMessageToolCall;
}

/** What OpenAI-compatible upstreams read of reasoning, sent back as the caller gave it. */
function reasoningJson(message: Message) {
  return {
    ...(message.reasoningContent === undefined ? {} : { reasoning_content: message.reasoningContent }),
    ...(message.thinkingBlocks.length === 0
      ? {}
      : {
          thinking_blocks: message.thinkingBlocks.map((block) =>
            block.type === "redacted_thinking"
              ? { type: block.type, data: block.data }
              : { type: block.type, thinking: block.thinking, signature: block.signature },
          ),
        }),
  };
}

export function toOpenAIMessage(message: Message): ChatCompletionMessageParam {
  const name = message.name === "" ? {} : { name: message.name };
  const rest = message.extensions;
  switch (message.role) {
    case "user":
      return { ...rest, role: "user", content: contentOf(message), ...name };
    case "tool":
      return { ...rest, role: "tool", tool_call_id: message.toolCallId, content: textContent(message) };
    case "assistant": {
      const hasText = message.content !== undefined || message.contentParts.length > 0;
      return {
        ...rest,
        role: "assistant",
        content: hasText ? textContent(message) : null,
        ...name,
        ...(message.toolCalls.length > 0 ? { tool_calls: message.toolCalls.map(toolCallJson) } : {}),
        ...reasoningJson(message),
      };
    }
    case "developer":
      return { ...rest, role: "developer", content: textContent(message), ...name };
    case "function":
      return { ...rest, role: "function", content: message.content ?? messageText(message), name: message.name };
    default:
      return { ...rest, role: "system", content: textContent(message), ...name };
  }
}

function toOpenAITool(tool: Tool): ChatCompletionTool {
  const fn = tool.function;
  return {
    ...tool.extensions,
    type: tool.type as "function",
    ...(fn
      ? {
          function: {
            name: fn.name,
            ...(fn.description ? { description: fn.description } : {}),
            ...(fn.parameters ? { parameters: fn.parameters } : {}),
            ...(fn.strict !== undefined ? { strict: fn.strict } : {}),
          },
        }
      : {}),
    ...cacheControlJson(tool),
  } as ChatCompletionTool;
}

function toOpenAIToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  if (choice.type === "function") {
    return { type: "function", function: { name: choice.function?.name ?? "" } };
  }
  return choice.type as "none" | "auto" | "required";
}

function toOpenAIResponseFormat(format: ResponseFormat): OpenAIRequestBody["response_format"] {
  if (format.type !== "json_schema") return { type: format.type as "text" | "json_object" };
  const schema = format.jsonSchema;
  const jsonSchema: ResponseFormatJSONSchema.JSONSchema = { name: schema?.name ?? "" };
  if (schema?.description) jsonSchema.description = schema.description;
  if (schema?.schema) jsonSchema.schema = schema.schema;
  if (schema?.strict !== undefined) jsonSchema.strict = schema.strict;
  return { type: "json_schema", json_schema: jsonSchema };
}

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

/**
 * The OpenAI parameters the canonical request maps, each read from it. A
 * parameter whose reader answers undefined is left out of the body; those
 * not named here (audio, modalities ...) travel in the request's extensions.
 */
const PARAMETERS: PartialParameterTable<OpenAIRequestBody, ChatCompletionRequest> = {
  temperature: (r) => r.temperature,
  top_p: (r) => r.topP,
  max_tokens: (r) => r.maxTokens,
  max_completion_tokens: (r) => r.maxCompletionTokens,
  stop: (r) => nonEmpty(r.stop),
  tools: (r) => nonEmpty(r.tools.map(toOpenAITool)),
  tool_choice: (r) => (r.toolChoice ? toOpenAIToolChoice(r.toolChoice) : undefined),
  // OpenAI refuses parallel_tool_calls in a request without tools.
  parallel_tool_calls: (r) => (r.tools.length > 0 ? r.parallelToolCalls : undefined),
  n: (r) => r.n,
  presence_penalty: (r) => r.presencePenalty,
  frequency_penalty: (r) => r.frequencyPenalty,
  seed: (r) => (r.seed === undefined ? undefined : Number(r.seed)),
  user: (r) => r.user || undefined,
  response_format: (r) => (r.responseFormat ? toOpenAIResponseFormat(r.responseFormat) : undefined),
  reasoning_effort: (r) => (r.reasoningEffort ? (r.reasoningEffort as ReasoningEffort) : undefined),
};

/**
 * The OpenAI Chat Completions body for a canonical request: the fields the
 * canonical request maps, and every other field the caller sent (its
 * `extensions`) as it sent them, so fields newer than this server work.
 */
export function toOpenAIRequest(request: ChatCompletionRequest, modelId: string): OpenAIRequestBody {
  return {
    ...request.extensions,
    model: modelId,
    messages: request.messages.map(toOpenAIMessage),
    ...readParameters(PARAMETERS, request),
  };
}

/** The streaming body: usage is always asked for (the core passes it on only when the caller asked). */
export function toOpenAIStreamRequest(request: ChatCompletionRequest, modelId: string): OpenAIStreamBody {
  return {
    ...toOpenAIRequest(request, modelId),
    stream: true,
    stream_options: { ...request.streamOptions?.extensions, include_usage: true },
  };
}
