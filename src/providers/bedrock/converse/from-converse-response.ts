import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { ConverseResponse, ConverseTokenUsage } from "../../../wire/bedrock-converse.js";
import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import {
  type AssistantAnswer,
  argumentsText,
  type ThinkingBlockInit,
  type UsageInit,
  usageOf,
} from "../assistant-answer.js";
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
  const read = usage.cacheReadInputTokens;
  const write = usage.cacheWriteInputTokens;
  const prompt = (usage.inputTokens ?? 0) + (read ?? 0) + (write ?? 0);
  return usageOf(prompt, usage.outputTokens ?? 0, { read, write });
}

/** The answer fields Converse adds that OpenAI's shape has no place for: the tier that served it, a guardrail trace. */
export function converseAnswerFields(answer: {
  serviceTier?: { type: string } | undefined;
  trace?: { guardrail?: unknown } | undefined;
}): JsonObject | undefined {
  const fields: JsonObject = {};
  if (answer.serviceTier?.type) fields.service_tier = answer.serviceTier.type;
  if (answer.trace?.guardrail !== undefined) fields.guardrail_trace = answer.trace.guardrail as JsonValue;
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * A Converse answer as the assistant's answer: its text joined, its toolUse
 * blocks as tool calls (`{}` for none), its reasoningContent as reasoning
 * text and blocks (signed or redacted) to be sent back.
 */
export function fromConverseResponse(response: ConverseResponse): AssistantAnswer {
  let text = "";
  let reasoning = "";
  const thinkingBlocks: ThinkingBlockInit[] = [];
  const toolCalls: AssistantAnswer["toolCalls"] = [];
  for (const block of response.output.message.content) {
    if ("text" in block) text += block.text;
    if ("toolUse" in block) {
      const use = block.toolUse;
      toolCalls.push({ id: use.toolUseId, name: use.name, arguments: argumentsText(use.input) });
    }
    if ("reasoningContent" in block) {
      const { reasoningText, redactedContent } = block.reasoningContent;
      if (reasoningText) {
        reasoning += reasoningText.text;
        thinkingBlocks.push({
          type: "thinking",
          thinking: reasoningText.text,
          signature: reasoningText.signature ?? "",
        });
      } else if (redactedContent !== undefined) {
        thinkingBlocks.push({ type: "redacted_thinking", data: redactedContent });
      }
    }
  }
  const extensions = converseAnswerFields(response);
  return {
    text,
    toolCalls,
    finishReason: mapConverseStopReason(response.stopReason),
    usage: converseUsage(response.usage),
    ...(reasoning ? { reasoning } : {}),
    ...(thinkingBlocks.length > 0 ? { thinkingBlocks } : {}),
    ...(extensions ? { extensions } : {}),
  };
}
