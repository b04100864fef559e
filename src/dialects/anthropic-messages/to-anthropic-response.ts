import type { ChatCompletionResponse, ThinkingBlock, Usage } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { AnthropicContentBlock, AnthropicMessage, AnthropicUsage } from "../../wire/anthropic-messages.js";
import { answerText, toolCallInput } from "../shared/answer-text.js";
import { toAnthropicStopReason } from "./map-finish-reason.js";

/** Anthropic's message ids start with `msg_`; the answer keeps the rest of the completion id. */
export function anthropicMessageId(completionId: string): string {
  return `msg_${completionId.replace(/^chatcmpl-/, "")}`;
}

/**
 * OpenAI's usage in Anthropic's terms: Anthropic counts cache reads and writes
 * apart from `input_tokens`, OpenAI's prompt count includes them (the inverse of the
 * Claude provider's reading).
 */
export function toAnthropicUsage(usage: Usage | undefined): AnthropicUsage {
  if (!usage) return { input_tokens: 0, output_tokens: 0 };
  const cached = usage.promptTokensDetails?.cachedTokens;
  const written = usage.promptTokensDetails?.cacheWriteTokens;
  return {
    input_tokens: Math.max(0, usage.promptTokens - (cached ?? 0) - (written ?? 0)),
    output_tokens: usage.completionTokens,
    ...(cached === undefined ? {} : { cache_read_input_tokens: cached }),
    ...(written === undefined ? {} : { cache_creation_input_tokens: written }),
  };
}

/** The thinking and redacted_thinking blocks of an answer, as Claude writes them. */
export function anthropicThinkingBlocks(blocks: ThinkingBlock[]): AnthropicContentBlock[] {
  return blocks.map((block) =>
    block.type === "redacted_thinking"
      ? { type: "redacted_thinking", data: block.data }
      : { type: "thinking", thinking: block.thinking, signature: block.signature },
  );
}

/**
 * A complete answer as Anthropic's Messages response: the thinking blocks
 * first, then the text as one text block, then one tool_use block per tool
 * call, the stop reason mapped back and the usage. Only the first choice is
 * carried (Claude answers one).
 */
export function toAnthropicResponse(response: ChatCompletionResponse): AnthropicMessage {
  const choice = response.choices[0];
  const text = answerText(choice?.message);
  const content: AnthropicContentBlock[] = anthropicThinkingBlocks(choice?.message?.thinkingBlocks ?? []);
  if (text !== "") content.push({ type: "text", text });
  for (const call of choice?.message?.toolCalls ?? []) {
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.function?.name ?? "",
      input: toolCallInput(call.function?.arguments ?? "", "Claude"),
    });
  }
  return {
    id: anthropicMessageId(response.id),
    type: "message",
    role: "assistant",
    model: response.model,
    content,
    stop_reason: toAnthropicStopReason(choice?.finishReason),
    stop_sequence: null,
    usage: toAnthropicUsage(response.usage),
  };
}
