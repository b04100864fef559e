import type {
  ChatCompletionChunk,
  ChatCompletionResponse,
  Delta,
  ListModelsResponse,
  Message,
  ThinkingBlock,
  ToolCall,
  ToolCallDelta,
  Usage,
} from "../../../gen/openbedrock/v1/chat_pb.js";

/*
 * Each object is written as OpenAI's, its `extensions` (the fields the
 * canonical model does not map, such as OpenAI's `logprobs` or
 * `system_fingerprint`) back in place: spread first, so that a mapped
 * field always has the canonical value, and OpenAI's defaults (`refusal:
 * null`, `logprobs: null`) yield to what the upstream sent.
 */

/** OpenAI's usage object; cache writes (Bedrock's) as `prompt_tokens_details.cache_write_tokens`. */
export function usageJson(usage: Usage) {
  const details = usage.promptTokensDetails;
  return {
    ...usage.extensions,
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    ...(details
      ? {
          prompt_tokens_details: {
            ...details.extensions,
            cached_tokens: details.cachedTokens,
            ...(details.cacheWriteTokens === undefined ? {} : { cache_write_tokens: details.cacheWriteTokens }),
          },
        }
      : {}),
  };
}

function toolCallJson(call: ToolCall) {
  return {
    ...call.extensions,
    id: call.id,
    type: call.type || "function",
    ...(call.function || !call.extensions
      ? { function: { name: call.function?.name ?? "", arguments: call.function?.arguments ?? "" } }
      : {}),
  };
}

/** Claude's reasoning blocks, each in its own shape. */
export function thinkingBlockJson(block: ThinkingBlock) {
  return block.type === "redacted_thinking"
    ? { type: block.type, data: block.data }
    : { type: block.type, thinking: block.thinking, signature: block.signature };
}

/** The reasoning of a message or a delta, when it has any. */
function reasoningJson(of: Message | Delta) {
  return {
    ...(of.reasoningContent === undefined ? {} : { reasoning_content: of.reasoningContent }),
    ...(of.thinkingBlocks.length === 0 ? {} : { thinking_blocks: of.thinkingBlocks.map(thinkingBlockJson) }),
  };
}

function messageJson(message: Message | undefined) {
  const toolCalls = message?.toolCalls ?? [];
  return {
    refusal: null,
    ...message?.extensions,
    role: message?.role || "assistant",
    content: message?.content ?? null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls.map(toolCallJson) } : {}),
    ...(message ? reasoningJson(message) : {}),
  };
}

/** A complete answer exactly as OpenAI's `chat.completion` object. */
export function chatCompletionJson(response: ChatCompletionResponse) {
  return {
    ...response.extensions,
    id: response.id,
    object: "chat.completion",
    created: Number(response.created),
    model: response.model,
    choices: response.choices.map((choice) => ({
      logprobs: null,
      ...choice.extensions,
      index: choice.index,
      message: messageJson(choice.message),
      finish_reason: choice.finishReason || null,
    })),
    ...(response.usage ? { usage: usageJson(response.usage) } : {}),
  };
}

export type ChatCompletionJson = ReturnType<typeof chatCompletionJson>;

function toolCallDeltaJson(call: ToolCallDelta) {
  return {
    ...call.extensions,
    index: call.index,
    ...(call.id === undefined ? {} : { id: call.id }),
    ...(call.type === undefined ? {} : { type: call.type }),
    function: {
      ...(call.function?.name === undefined ? {} : { name: call.function.name }),
      ...(call.function?.arguments === undefined ? {} : { arguments: call.function.arguments }),
    },
  };
}

function deltaJson(delta: Delta | undefined) {
  if (!delta) return {};
  return {
    ...delta.extensions,
    ...(delta.role === undefined ? {} : { role: delta.role }),
    ...(delta.content === undefined ? {} : { content: delta.content }),
    ...(delta.toolCalls.length > 0 ? { tool_calls: delta.toolCalls.map(toolCallDeltaJson) } : {}),
    ...reasoningJson(delta),
  };
}

/**
 * A chunk exactly as OpenAI's `chat.completion.chunk`. With `include_usage`
 * OpenAI puts `"usage": null` on every chunk but the last.
 */
export function chatCompletionChunkJson(chunk: ChatCompletionChunk, includeUsage: boolean) {
  return {
    ...chunk.extensions,
    id: chunk.id,
    object: "chat.completion.chunk",
    created: Number(chunk.created),
    model: chunk.model,
    choices: chunk.choices.map((choice) => ({
      logprobs: null,
      ...choice.extensions,
      index: choice.index,
      delta: deltaJson(choice.delta),
      finish_reason: choice.finishReason ?? null,
    })),
    ...(includeUsage ? { usage: chunk.usage ? usageJson(chunk.usage) : null } : {}),
  };
}

export function modelListJson(list: ListModelsResponse) {
  return {
    object: "list",
    data: list.data.map((model) => ({
      id: model.id,
      object: "model",
      created: Number(model.created),
      owned_by: model.ownedBy,
    })),
  };
}
