import type {
  ChatCompletionChunk,
  ChatCompletionResponse,
  ListModelsResponse,
  Message,
  ToolCall,
  Usage,
} from "../../../gen/openbedrock/v1/chat_pb.js";

/** OpenAI's usage object. */
export function usageJson(usage: Usage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    ...(usage.promptTokensDetails
      ? { prompt_tokens_details: { cached_tokens: usage.promptTokensDetails.cachedTokens } }
      : {}),
  };
}

function toolCallJson(call: ToolCall) {
  return {
    id: call.id,
    type: call.type || "function",
    function: { name: call.function?.name ?? "", arguments: call.function?.arguments ?? "" },
  };
}

function messageJson(message: Message | undefined) {
  const toolCalls = message?.toolCalls ?? [];
  return {
    role: message?.role || "assistant",
    content: message?.content ?? null,
    refusal: null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls.map(toolCallJson) } : {}),
  };
}

/** A complete answer exactly as OpenAI's `chat.completion` object. */
export function chatCompletionJson(response: ChatCompletionResponse) {
  return {
    id: response.id,
    object: "chat.completion",
    created: Number(response.created),
    model: response.model,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      message: messageJson(choice.message),
      logprobs: null,
      finish_reason: choice.finishReason || null,
    })),
    ...(response.usage ? { usage: usageJson(response.usage) } : {}),
  };
}

export type ChatCompletionJson = ReturnType<typeof chatCompletionJson>;

/**
 * A chunk exactly as OpenAI's `chat.completion.chunk`. With `include_usage`
 * OpenAI puts `"usage": null` on every chunk but the last.
 */
export function chatCompletionChunkJson(chunk: ChatCompletionChunk, includeUsage: boolean) {
  return {
    id: chunk.id,
    object: "chat.completion.chunk",
    created: Number(chunk.created),
    model: chunk.model,
    choices: chunk.choices.map((choice) => {
      const delta = choice.delta;
      const toolCalls = delta?.toolCalls ?? [];
      return {
        index: choice.index,
        delta: {
          ...(delta?.role === undefined ? {} : { role: delta.role }),
          ...(delta?.content === undefined ? {} : { content: delta.content }),
          ...(toolCalls.length > 0
            ? {
                tool_calls: toolCalls.map((call) => ({
                  index: call.index,
                  ...(call.id === undefined ? {} : { id: call.id }),
                  ...(call.type === undefined ? {} : { type: call.type }),
                  function: {
                    ...(call.function?.name === undefined ? {} : { name: call.function.name }),
                    ...(call.function?.arguments === undefined ? {} : { arguments: call.function.arguments }),
                  },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: choice.finishReason ?? null,
      };
    }),
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
