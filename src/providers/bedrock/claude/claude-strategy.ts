import type { AnthropicMessagesRequest } from "../../../wire/anthropic-messages.js";
import type { FamilyCalls } from "../family-strategy.js";
import type { ImageFetcher } from "../images/image-fetcher.js";
import { conversationBody } from "../prepare-conversation.js";
import { ClaudeStreamMapper } from "./claude-stream-mapper.js";
import { fromClaudeMessage, readClaudeMessage } from "./from-claude-response.js";
import { toClaudeRequest } from "./to-claude-request.js";

const FAMILY = "Claude models on Bedrock";

/** Claude: the Anthropic Messages body on InvokeModel / InvokeModelWithResponseStream. */
export function claudeFamily(images: ImageFetcher): FamilyCalls<AnthropicMessagesRequest, unknown> {
  return {
    body: conversationBody(FAMILY, images, toClaudeRequest),
    complete: async (exchange, modelId, body, signal) =>
      fromClaudeMessage(readClaudeMessage(await exchange.invoke(modelId, body, signal))),
    stream: (exchange, modelId, body, signal) => exchange.invokeStream(modelId, body, signal),
    mapper: () => new ClaudeStreamMapper(),
  };
}
