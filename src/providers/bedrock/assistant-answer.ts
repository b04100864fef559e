import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type ChatCompletionResponse,
  ChatCompletionResponseSchema,
  type UsageSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { newCompletionId, unixSeconds } from "../../core/completion-id.js";

export type UsageInit = MessageInitShape<typeof UsageSchema>;

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
}

/** Token counts in OpenAI's terms: prompt tokens include cached ones. */
export function usageOf(promptTokens: number, completionTokens: number, cachedTokens?: number): UsageInit {
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    ...(cachedTokens === undefined ? {} : { promptTokensDetails: { cachedTokens } }),
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
  return create(ChatCompletionResponseSchema, {
    id: newCompletionId(),
    created: unixSeconds(),
    model,
    choices: [{ index: 0, message: { role: "assistant", ...content, toolCalls }, finishReason: answer.finishReason }],
    usage: answer.usage,
  });
}
