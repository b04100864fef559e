import type {
  ChatCompletionContentPart,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ReasoningEffort, ResponseFormatJSONSchema } from "openai/resources/shared";
import type {
  ChatCompletionRequest,
  Message,
  ResponseFormat,
  Tool,
  ToolChoice,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { type PartialParameterTable, readParameters } from "../../core/parameter-table.js";

export type OpenAIRequestBody = ChatCompletionCreateParamsNonStreaming;

const IMAGE_DETAILS = ["auto", "low", "high"] as const;
type ImageDetail = (typeof IMAGE_DETAILS)[number];

function imagePart(url: string, detail: string): ChatCompletionContentPartImage {
  const known = (IMAGE_DETAILS as readonly string[]).includes(detail);
  return { type: "image_url", image_url: { url, ...(known ? { detail: detail as ImageDetail } : {}) } };
}

/** A user message's parts: its plain text first, then its parts in order. */
function userContent(message: Message): string | ChatCompletionContentPart[] {
  if (message.contentParts.length === 0) return message.content ?? "";
  const parts: ChatCompletionContentPart[] = message.content ? [{ type: "text", text: message.content }] : [];
  for (const part of message.contentParts) {
    parts.push(
      part.type === "image_url" && part.imageUrl
        ? imagePart(part.imageUrl.url, part.imageUrl.detail)
        : { type: "text", text: part.text },
    );
  }
  return parts;
}

/** Other roles carry text only (validation keeps images to user messages). */
function textContent(message: Message): string | ChatCompletionContentPartText[] {
  if (message.contentParts.length === 0) return message.content ?? "";
  const texts = message.content ? [message.content] : [];
  for (const part of message.contentParts) texts.push(part.text);
  return texts.map((text) => ({ type: "text", text }));
}

export function toOpenAIMessage(message: Message): ChatCompletionMessageParam {
  const name = message.name === "" ? {} : { name: message.name };
  switch (message.role) {
    case "user":
      return { role: "user", content: userContent(message), ...name };
    case "tool":
      return { role: "tool", tool_call_id: message.toolCallId, content: textContent(message) };
    case "assistant": {
      const hasText = message.content !== undefined || message.contentParts.length > 0;
      const toolCalls = message.toolCalls.map((call) => ({
        id: call.id,
        type: "function" as const,
        function: { name: call.function?.name ?? "", arguments: call.function?.arguments ?? "" },
      }));
      return {
        role: "assistant",
        content: hasText ? textContent(message) : null,
        ...name,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      };
    }
    case "developer":
      return { role: "developer", content: textContent(message), ...name };
    default:
      return { role: "system", content: textContent(message), ...name };
  }
}

function toOpenAITool(tool: Tool): ChatCompletionTool {
  const fn = tool.function;
  return {
    type: "function",
    function: {
      name: fn?.name ?? "",
      ...(fn?.description ? { description: fn.description } : {}),
      ...(fn?.parameters ? { parameters: fn.parameters } : {}),
      ...(fn?.strict !== undefined ? { strict: fn.strict } : {}),
    },
  };
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
 * The OpenAI parameters the canonical request can carry, each read from it.
 * A parameter whose reader answers undefined is left out of the body; those
 * not named here (audio, modalities ...) are never sent.
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

/** The OpenAI Chat Completions body for a canonical request. */
export function toOpenAIRequest(request: ChatCompletionRequest, modelId: string): OpenAIRequestBody {
  return { model: modelId, messages: request.messages.map(toOpenAIMessage), ...readParameters(PARAMETERS, request) };
}
