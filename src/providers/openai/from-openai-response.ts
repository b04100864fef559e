import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import type { ChatCompletion, ChatCompletionChunk as OpenAIChunk } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import {
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type ChatCompletionResponse,
  ChatCompletionResponseSchema,
  type MessageSchema,
  type ThinkingBlockSchema,
  type UsageSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { otherFields } from "../../core/extension-fields.js";

type UsageInit = MessageInitShape<typeof UsageSchema>;
type MessageInit = MessageInitShape<typeof MessageSchema>;
type ThinkingBlockInit = MessageInitShape<typeof ThinkingBlockSchema>;
type JsonRecord = Record<string, unknown>;

// The fields each reader maps; the others come back in the object's `extensions`.
const COMPLETION_KEYS = new Set(["id", "object", "created", "model", "choices", "usage"]);
const CHOICE_KEYS = new Set(["index", "message", "finish_reason"]);
const MESSAGE_KEYS = new Set(["role", "content", "tool_calls", "reasoning_content", "thinking_blocks"]);
const TOOL_CALL_KEYS = new Set(["id", "type", "function"]);
const USAGE_KEYS = new Set(["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details"]);
const PROMPT_DETAILS_KEYS = new Set(["cached_tokens", "cache_write_tokens"]);
const CHUNK_CHOICE_KEYS = new Set(["index", "delta", "finish_reason"]);
const DELTA_KEYS = new Set(["role", "content", "tool_calls", "reasoning_content", "thinking_blocks"]);
const TOOL_CALL_DELTA_KEYS = new Set(["index", "id", "type", "function"]);

function extensions(object: unknown, known: ReadonlySet<string>): { extensions?: JsonObject } {
  const rest = otherFields(object as JsonRecord, known);
  return rest === undefined ? {} : { extensions: rest };
}

function fromUsage(usage: CompletionUsage | null | undefined): UsageInit | undefined {
  if (!usage) return undefined;
  const details = usage.prompt_tokens_details as JsonRecord | undefined;
  const cacheWrite = details?.cache_write_tokens;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    ...(details
      ? {
          promptTokensDetails: {
            cachedTokens: typeof details.cached_tokens === "number" ? details.cached_tokens : 0,
            ...(typeof cacheWrite === "number" ? { cacheWriteTokens: cacheWrite } : {}),
            ...extensions(details, PROMPT_DETAILS_KEYS),
          },
        }
      : {}),
    ...extensions(usage, USAGE_KEYS),
  };
}

/** `thinking_blocks` as OpenAI-compatible upstreams that relay Claude send them. */
function thinkingBlocks(value: unknown): ThinkingBlockInit[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((block: JsonRecord | null) =>
    typeof block?.type === "string"
      ? [
          {
            type: block.type,
            thinking: typeof block.thinking === "string" ? block.thinking : "",
            signature: typeof block.signature === "string" ? block.signature : "",
            data: typeof block.data === "string" ? block.data : "",
          },
        ]
      : [],
  );
}

/** What OpenAI-compatible reasoning upstreams (DeepSeek, vLLM ...) add to a message or a delta. */
function reasoningOf(object: JsonRecord) {
  const reasoning = object.reasoning_content;
  return {
    ...(typeof reasoning === "string" ? { reasoningContent: reasoning } : {}),
    thinkingBlocks: thinkingBlocks(object.thinking_blocks),
  };
}

function fromMessage(message: ChatCompletion.Choice["message"]): MessageInit {
  const toolCalls = (message.tool_calls ?? []).map((call) => ({
    id: call.id,
    type: call.type,
    ...(call.type === "function" ? { function: { name: call.function.name, arguments: call.function.arguments } } : {}),
    ...extensions(call, TOOL_CALL_KEYS),
  }));
  return {
    role: message.role,
    ...(message.content === null || message.content === undefined ? {} : { content: message.content }),
    toolCalls,
    ...reasoningOf(message as unknown as JsonRecord),
    ...extensions(message, MESSAGE_KEYS),
  };
}

/** A delta's other fields; a `content: null` (OpenAI sends it beside tool calls) comes back too. */
function deltaExtensions(delta: JsonRecord): { extensions?: JsonObject } {
  const rest = otherFields(delta, DELTA_KEYS);
  if (delta.content !== null) return rest === undefined ? {} : { extensions: rest };
  return { extensions: { ...rest, content: null } };
}

/** OpenAI's answer in the canonical shape; the fields it does not map come back in place through `extensions`. */
export function fromOpenAIResponse(completion: ChatCompletion): ChatCompletionResponse {
  return create(ChatCompletionResponseSchema, {
    id: completion.id,
    created: BigInt(completion.created),
    model: completion.model,
    choices: completion.choices.map((choice) => ({
      index: choice.index,
      message: fromMessage(choice.message),
      finishReason: choice.finish_reason ?? "",
      ...extensions(choice, CHOICE_KEYS),
    })),
    usage: fromUsage(completion.usage),
    ...extensions(completion, COMPLETION_KEYS),
  });
}

export function fromOpenAIChunk(chunk: OpenAIChunk): ChatCompletionChunk {
  return create(ChatCompletionChunkSchema, {
    id: chunk.id,
    created: BigInt(chunk.created),
    model: chunk.model,
    choices: chunk.choices.map((choice) => {
      const delta = choice.delta;
      return {
        index: choice.index,
        delta: {
          ...(delta.role ? { role: delta.role } : {}),
          ...(typeof delta.content === "string" ? { content: delta.content } : {}),
          toolCalls: (delta.tool_calls ?? []).map((call) => ({
            index: call.index,
            ...(call.id ? { id: call.id } : {}),
            ...(call.type ? { type: call.type } : {}),
            function: {
              ...(call.function?.name ? { name: call.function.name } : {}),
              ...(call.function?.arguments !== undefined ? { arguments: call.function.arguments } : {}),
            },
            ...extensions(call, TOOL_CALL_DELTA_KEYS),
          })),
          ...reasoningOf(delta as unknown as JsonRecord),
          ...deltaExtensions(delta as unknown as JsonRecord),
        },
        ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}),
        ...extensions(choice, CHUNK_CHOICE_KEYS),
      };
    }),
    usage: fromUsage(chunk.usage),
    ...extensions(chunk, COMPLETION_KEYS),
  });
}
