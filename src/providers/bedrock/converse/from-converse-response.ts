import type { ConverseResponse, ConverseTokenUsage } from "../../../wire/bedrock-converse.js";
import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import { type AssistantAnswer, type UsageInit, usageOf } from "../assistant-answer.js";
import { BEDROCK } from "../bedrock-exchange.js";
import { mapConverseStopReason } from "./map-stop-reason.js";

export function readConverseResponse(value: ConverseResponse): ConverseResponse {
  if (!Array.isArray(value?.output?.message?.content))
    throw unreadableAnswer(BEDROCK, "a Converse answer without a message");
  return value;
}

/** Prompt tokens include cache reads and writes, as OpenAI counts them. */
export function converseUsage(usage: Partial<ConverseTokenUsage> | undefined): UsageInit | undefined {
  if (!usage) return undefined;
  const prompt = (usage.inputTokens ?? 0) + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
  return usageOf(prompt, usage.outputTokens ?? 0, usage.cacheReadInputTokens);
}

/** A Converse answer as the assistant's answer: its text joined, its toolUse blocks as tool calls. */
export function fromConverseResponse(response: ConverseResponse): AssistantAnswer {
  let text = "";
  const toolCalls: AssistantAnswer["toolCalls"] = [];
  for (const block of response.output.message.content) {
    if ("text" in block) text += block.text;
    if ("toolUse" in block) {
      const use = block.toolUse;
      toolCalls.push({ id: use.toolUseId, name: use.name, arguments: JSON.stringify(use.input ?? {}) });
    }
  }
  return {
    text,
    toolCalls,
    finishReason: mapConverseStopReason(response.stopReason),
    usage: converseUsage(response.usage),
  };
}
