import type { MessageInitShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import type { ChatCompletion, ChatCompletionChunk as OpenAIChunk } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import {
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type ChatCompletionResponse,
  ChatCompletionResponseSchema,
  type MessageSchema,
  type UsageSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";

type UsageInit = MessageInitShape<typeof UsageSchema>;
type MessageInit = MessageInitShape<typeof MessageSchema>;

function fromUsage(usage: CompletionUsage | null | undefined): UsageInit | undefined {
  if (!usage) return undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    ...(cached === undefined ? {} : { promptTokensDetails: { cachedTokens: cached } }),
  };
}

function fromMessage(message: ChatCompletion.Choice["message"]): MessageInit {
  const toolCalls = (message.tool_calls ?? []).flatMap((call) =>
    call.type === "function"
      ? [{ id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }]
      : [],
  );
  return {
    role: message.role,
    ...(message.content === null || message.content === undefined ? {} : { content: message.content }),
    toolCalls,
  };
}

export function fromOpenAIResponse(completion: ChatCompletion): ChatCompletionResponse {
  return create(ChatCompletionResponseSchema, {
    id: completion.id,
    created: BigInt(completion.created),
    model: completion.model,
    choices: completion.choices.map((choice) => ({
      index: choice.index,
      message: fromMessage(choice.message),
      finishReason: choice.finish_reason ?? "",
    })),
    usage: fromUsage(completion.usage),
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
          })),
        },
        ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}),
      };
    }),
    usage: fromUsage(chunk.usage),
  });
}
