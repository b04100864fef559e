import type { AnthropicMessage, AnthropicUsage } from "../../../wire/anthropic-messages.js";
import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import { type AssistantAnswer, type UsageInit, usageOf } from "../assistant-answer.js";
import { BEDROCK } from "../bedrock-exchange.js";
import { mapClaudeStopReason } from "./map-stop-reason.js";

/** Checks that an InvokeModel answer is a Claude message before it is read as one. */
export function readClaudeMessage(value: unknown): AnthropicMessage {
  const message = value as Partial<AnthropicMessage> | null;
  if (typeof message !== "object" || message === null || !Array.isArray(message.content)) {
    throw unreadableAnswer(BEDROCK, "a Claude answer without content");
  }
  return message as AnthropicMessage;
}

/** Claude counts cache reads and writes apart from `input_tokens`; OpenAI's prompt count includes them. */
export function claudeUsage(usage: Partial<AnthropicUsage> | undefined, outputTokens?: number): UsageInit | undefined {
  if (!usage) return undefined;
  const cacheRead = usage.cache_read_input_tokens ?? undefined;
  const prompt = (usage.input_tokens ?? 0) + (cacheRead ?? 0) + (usage.cache_creation_input_tokens ?? 0);
  return usageOf(prompt, outputTokens ?? usage.output_tokens ?? 0, cacheRead);
}

/** A Claude message as the assistant's answer: its text blocks joined, its tool_use blocks as tool calls. */
export function fromClaudeMessage(message: AnthropicMessage): AssistantAnswer {
  let text = "";
  const toolCalls: AssistantAnswer["toolCalls"] = [];
  for (const block of message.content) {
    if (block.type === "text") text += block.text;
    if (block.type === "tool_use") {
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  return {
    text,
    toolCalls,
    finishReason: mapClaudeStopReason(message.stop_reason),
    usage: claudeUsage(message.usage),
  };
}
