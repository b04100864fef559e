import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { AnthropicMessage, AnthropicUsage } from "../../../wire/anthropic-messages.js";
import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import {
  type AssistantAnswer,
  argumentsText,
  type ThinkingBlockInit,
  type UsageInit,
  usageOf,
} from "../assistant-answer.js";
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

/**
 * Claude counts cache reads and writes apart from `input_tokens`; OpenAI's
 * prompt count includes them, the reads as `cached_tokens`, the writes as
 * `cache_write_tokens`.
 */
export function claudeUsage(usage: Partial<AnthropicUsage> | undefined): UsageInit | undefined {
  if (!usage) return undefined;
  const read = usage.cache_read_input_tokens ?? undefined;
  const write = usage.cache_creation_input_tokens ?? undefined;
  const prompt = (usage.input_tokens ?? 0) + (read ?? 0) + (write ?? 0);
  return usageOf(prompt, usage.output_tokens ?? 0, { read, write });
}

/**
 * Claude's usage as a stream reports it: input and cache counts in
 * `message_start`, then each `message_delta`'s counts over them (a null
 * leaves the count before); the whole at `message_stop`.
 */
export class ClaudeStreamUsage {
  #usage: Partial<AnthropicUsage> | undefined;

  start(usage: Partial<AnthropicUsage> | undefined): void {
    this.#usage = usage;
  }

  delta(usage: object | undefined): void {
    if (usage === undefined) return;
    const reported = Object.entries(usage).filter(([, value]) => value !== null && value !== undefined);
    this.#usage = { ...this.#usage, ...(Object.fromEntries(reported) as Partial<AnthropicUsage>) };
  }

  total(): UsageInit | undefined {
    return claudeUsage(this.#usage);
  }
}

/** What Bedrock adds to a Claude answer or event when a guardrail is on. */
export interface ClaudeGuardrailFields {
  "amazon-bedrock-guardrailAction"?: "INTERVENED" | "NONE";
  "amazon-bedrock-trace"?: { guardrail?: unknown };
}

/** Whether a guardrail blocked the answer, and its trace when one was asked for. */
export function claudeGuardrail(fields: ClaudeGuardrailFields): { intervened: boolean; trace?: JsonValue } {
  const trace = fields["amazon-bedrock-trace"]?.guardrail;
  return {
    intervened: fields["amazon-bedrock-guardrailAction"] === "INTERVENED",
    ...(trace === undefined ? {} : { trace: trace as JsonValue }),
  };
}

/**
 * A Claude message as the assistant's answer: its text blocks joined, its
 * tool_use blocks as tool calls (`{}` for none), its thinking as reasoning
 * text and its thinking and redacted_thinking blocks kept to be sent back.
 */
export function fromClaudeMessage(message: AnthropicMessage): AssistantAnswer {
  let text = "";
  let reasoning = "";
  const thinkingBlocks: ThinkingBlockInit[] = [];
  const toolCalls: AssistantAnswer["toolCalls"] = [];
  for (const block of message.content) {
    switch (block.type) {
      case "text":
        text += block.text;
        break;
      case "tool_use":
        toolCalls.push({ id: block.id, name: block.name, arguments: argumentsText(block.input) });
        break;
      case "thinking":
        reasoning += block.thinking;
        thinkingBlocks.push({ type: "thinking", thinking: block.thinking, signature: block.signature });
        break;
      case "redacted_thinking":
        thinkingBlocks.push({ type: "redacted_thinking", data: block.data });
        break;
    }
  }
  const guardrail = claudeGuardrail(message);
  const extensions: JsonObject | undefined =
    guardrail.trace === undefined ? undefined : { guardrail_trace: guardrail.trace };
  return {
    text,
    toolCalls,
    finishReason: guardrail.intervened ? "content_filter" : mapClaudeStopReason(message.stop_reason),
    usage: claudeUsage(message.usage),
    ...(reasoning ? { reasoning } : {}),
    ...(thinkingBlocks.length > 0 ? { thinkingBlocks } : {}),
    ...(extensions ? { extensions } : {}),
  };
}
