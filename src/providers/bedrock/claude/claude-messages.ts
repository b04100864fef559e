import { create, type JsonObject } from "@bufbuild/protobuf";
import { type Usage, UsageSchema } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError, ModelNotFoundError, PermissionDeniedError, UpstreamError } from "../../../core/errors.js";
import type { MessagesCall, MessagesCapability } from "../../../core/provider.js";
import type { AnthropicErrorEvent, AnthropicUsage } from "../../../wire/anthropic-messages.js";
import type { BedrockSettings } from "../bedrock-controls.js";
import type { BedrockExchange, InvokeOptions } from "../bedrock-exchange.js";
import { modelFamily, revealedModelId } from "../model-family.js";
import { ClaudeStreamUsage, claudeUsage, readClaudeMessage } from "./from-claude-response.js";
import { mapClaudeErrorEvent } from "./map-claude-error-event.js";
import { toBedrockMessagesBody } from "./to-bedrock-messages-body.js";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function usageOf(usage: Partial<AnthropicUsage> | undefined): Usage | undefined {
  const init = claudeUsage(usage);
  return init && create(UsageSchema, init);
}

/** The usage of a stream of Claude's own events, once it stops; the events are the upstream's JSON, checked here. */
class StreamUsage {
  readonly #usage = new ClaudeStreamUsage();

  note(event: JsonObject): Usage | undefined {
    if (event.type === "message_start" && isObject(event.message) && isObject(event.message.usage)) {
      this.#usage.start(event.message.usage as Partial<AnthropicUsage>);
    } else if (event.type === "message_delta" && isObject(event.usage)) {
      this.#usage.delta(event.usage);
    } else if (event.type === "message_stop") {
      const total = this.#usage.total();
      return total && create(UsageSchema, total);
    }
    return undefined;
  }
}

/** The foundation model CountTokens takes: it counts for bare model ids, not inference profiles. */
export function countingModelId(modelId: string): string | undefined {
  return /(?:^|\.)(anthropic\.claude.+)$/.exec(revealedModelId(modelId))?.[1];
}

/** Bedrock's answer for a model CountTokens does not serve. */
const CANNOT_COUNT = /doesn't support counting tokens|does not support counting tokens/i;

/**
 * Whether CountTokens cannot count here, so the estimate answers: the model
 * has no count, the region no CountTokens (404), or the account's policy
 * allows InvokeModel but not CountTokens (403). Any other failure, such as
 * a body Claude would refuse, is the caller's to see.
 */
function cannotCount(error: unknown): boolean {
  if (error instanceof ModelNotFoundError || error instanceof PermissionDeniedError) return true;
  return error instanceof InvalidRequestError && CANNOT_COUNT.test(error.message);
}

/**
 * Claude on Bedrock takes Anthropic's Messages body itself: the caller's
 * body goes to InvokeModel / InvokeModelWithResponseStream as Bedrock takes
 * it (see `toBedrockMessagesBody`), and Claude's answer and events come
 * back as Bedrock sends them. The server's guardrail applies as on every
 * Bedrock call. CountTokens counts where Bedrock can for the model.
 */
export function claudeMessages(exchange: BedrockExchange, settings: BedrockSettings): MessagesCapability {
  const options: InvokeOptions = settings.guardrail ? { guardrail: settings.guardrail } : {};
  const bodyOf = (body: JsonObject, call: MessagesCall) => toBedrockMessagesBody(body, call.betas);
  return {
    takesMessagesBody: (modelId) => modelFamily(modelId) === "claude",

    async createMessage(body, call) {
      const answer = readClaudeMessage(await exchange.invoke(call.modelId, bodyOf(body, call), call.signal, options));
      const usage = usageOf(answer.usage);
      if (usage) call.usage(usage);
      return answer as unknown as JsonObject;
    },

    async *streamMessage(body, call) {
      const usage = new StreamUsage();
      let stopped = false;
      for await (const event of exchange.invokeStream(call.modelId, bodyOf(body, call), call.signal, options)) {
        if (!isObject(event)) continue;
        // Claude's own error event ends the stream as a failure, which the caller gets as Anthropic's error event.
        if (event.type === "error") throw mapClaudeErrorEvent(event as unknown as AnthropicErrorEvent);
        const reported = usage.note(event);
        if (reported) call.usage(reported);
        stopped ||= event.type === "message_stop";
        yield event;
      }
      // A stream cut short would otherwise end as if the answer were whole.
      if (!stopped) throw new UpstreamError("Bedrock ended the stream before the answer was complete.");
    },

    async countMessageTokens(body, call) {
      const modelId = countingModelId(call.modelId);
      if (modelId === undefined) return undefined;
      try {
        // A count_tokens body has no max_tokens, which InvokeModel's body needs; it changes no count.
        const counted = { max_tokens: 1, ...bodyOf(body, call) };
        return await exchange.countTokens(modelId, counted, call.signal);
      } catch (error) {
        if (cannotCount(error)) return undefined;
        throw error;
      }
    },
  };
}
