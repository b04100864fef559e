import type { AnthropicMessagesRequest } from "../../../wire/anthropic-messages.js";
import type { BedrockSettings } from "../bedrock-controls.js";
import { type ImageLoader, invokeOptionsOf, prepareBedrockRequest } from "../bedrock-request.js";
import { CLAUDE_FAMILY } from "../family-name.js";
import { type FamilyCalls, familyCall } from "../family-strategy.js";
import { ClaudeStreamMapper } from "./claude-stream-mapper.js";
import { fromClaudeMessage, readClaudeMessage } from "./from-claude-response.js";
import { toClaudeRequest } from "./to-claude-request.js";

/** Claude: the Anthropic Messages body on InvokeModel / InvokeModelWithResponseStream. */
export function claudeFamily(
  loadImages: ImageLoader,
  settings: BedrockSettings,
): FamilyCalls<AnthropicMessagesRequest, unknown> {
  return {
    async prepare(request, call) {
      const prepared = await prepareBedrockRequest(request, call, CLAUDE_FAMILY, settings, loadImages);
      return familyCall(prepared, toClaudeRequest(prepared), invokeOptionsOf(prepared));
    },
    complete: async (exchange, modelId, { body, options }, signal) =>
      fromClaudeMessage(readClaudeMessage(await exchange.invoke(modelId, body, signal, options))),
    stream: (exchange, modelId, { body, options }, signal) => exchange.invokeStream(modelId, body, signal, options),
    mapper: () => new ClaudeStreamMapper(),
  };
}
