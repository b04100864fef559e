import { create, type JsonObject, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type ChatCompletionResponse,
  ChatCompletionResponseSchema,
  type ThinkingBlockSchema,
  type UsageSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { newCompletionId, unixSeconds } from "../../core/completion-id.js";

export type UsageInit = MessageInitShape<typeof UsageSchema>;
export type ThinkingBlockInit = MessageInitShape<typeof ThinkingBlockSchema>;

/** OpenAI's finish reasons. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface AnswerToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text. */
  arguments: string;
}

/** A family's complete answer, read from its wire format, before it becomes the canonical response. */
export interface AssistantAnswer {
  text: string;
  toolCalls: AnswerToolCall[];
  finishReason: FinishReason;
  usage: UsageInit | undefined;
  /** The model's reasoning as plain text. */
  reasoning?: string;
  /** The reasoning blocks as the model signed or redacted them, to be sent back. */
  thinkingBlocks?: ThinkingBlockInit[];
  /** Answer fields OpenAI's shape has no place for (`service_tier`, `guardrail_trace`). */
  extensions?: JsonObject;
}

/** Token counts in OpenAI's terms: prompt tokens include the cache reads and writes. */
export function usageOf(
  promptTokens: number,
  completionTokens: number,
  cache: { read?: number | undefined; write?: number | undefined } = {},
): UsageInit {
  const known = cache.read !== undefined || cache.write !== undefined;
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    ...(known
      ? {
          promptTokensDetails: {
            cachedTokens: cache.read ?? 0,
            ...(cache.write === undefined ? {} : { cacheWriteTokens: cache.write }),
          },
        }
      : {}),
  };
}

/** A tool call's arguments as OpenAI sends them: never empty, `{}` for none. */
export function argumentsText(input: unknown): string {
  return JSON.stringify(input ?? {});
}

/**
 * An answer given through the forced tool of structured output: the tool's
 * input is the message's content, and the answer ends as a plain one
 * (`stop`) unless the model also called one of the caller's tools.
 */
export function fromOutputTool(answer: AssistantAnswer, toolName: string): AssistantAnswer {
  const output = answer.toolCalls.find((call) => call.name === toolName);
  if (!output) return answer;
  const toolCalls = answer.toolCalls.filter((call) => call !== output);
  return {
    ...answer,
    text: answer.text + output.arguments,
    toolCalls,
    finishReason: answer.finishReason === "tool_calls" && toolCalls.length === 0 ? "stop" : answer.finishReason,
  };
}

/** The canonical response, with a fresh id, the current time and the model the caller named. */
export function toChatCompletionResponse(answer: AssistantAnswer, model: string): ChatCompletionResponse {
  const toolCalls = answer.toolCalls.map((call) => ({
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: call.arguments },
  }));
  // As OpenAI: `content` is null when the answer is only tool calls.
  const content = answer.text === "" && toolCalls.length > 0 ? {} : { content: answer.text };
  const reasoning = answer.reasoning ? { reasoningContent: answer.reasoning } : {};
  return create(ChatCompletionResponseSchema, {
    id: newCompletionId(),
    created: unixSeconds(),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          ...content,
          toolCalls,
          ...reasoning,
          thinkingBlocks: answer.thinkingBlocks ?? [],
        },
        finishReason: answer.finishReason,
      },
    ],
    usage: answer.usage,
    ...(answer.extensions ? { extensions: answer.extensions } : {}),
  });
}
