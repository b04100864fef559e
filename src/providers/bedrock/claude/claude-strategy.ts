import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderCall } from "../../../core/provider.js";
import type { AnthropicMessagesRequest } from "../../../wire/anthropic-messages.js";
import { toAnswerChunks } from "../answer-chunks.js";
import { toChatCompletionResponse } from "../assistant-answer.js";
import type { BedrockExchange } from "../bedrock-exchange.js";
import type { FamilyStrategy } from "../family-strategy.js";
import type { ImageFetcher } from "../images/image-fetcher.js";
import { prepareConversation } from "../prepare-conversation.js";
import { refuseUnsupported, UNSUPPORTED_ON_BEDROCK } from "../refuse-unsupported.js";
import { ClaudeStreamMapper } from "./claude-stream-mapper.js";
import { fromClaudeMessage, readClaudeMessage } from "./from-claude-response.js";
import { toClaudeRequest } from "./to-claude-request.js";

const FAMILY = "Claude models on Bedrock";

/** Claude: the Anthropic Messages body on InvokeModel / InvokeModelWithResponseStream. */
export class ClaudeStrategy implements FamilyStrategy {
  readonly #exchange: BedrockExchange;
  readonly #images: ImageFetcher;

  constructor(exchange: BedrockExchange, images: ImageFetcher) {
    this.#exchange = exchange;
    this.#images = images;
  }

  async #body(request: ChatCompletionRequest, call: ProviderCall): Promise<AnthropicMessagesRequest> {
    refuseUnsupported(request, FAMILY, UNSUPPORTED_ON_BEDROCK);
    return toClaudeRequest(request, await prepareConversation(request, this.#images, call.signal));
  }

  async complete(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse> {
    const answer = await this.#exchange.invoke(call.modelId, await this.#body(request, call), call.signal);
    return toChatCompletionResponse(fromClaudeMessage(readClaudeMessage(answer)), call.modelId);
  }

  async *stream(request: ChatCompletionRequest, call: ProviderCall): AsyncGenerator<ChatCompletionChunk> {
    const events = this.#exchange.invokeStream(call.modelId, await this.#body(request, call), call.signal);
    yield* toAnswerChunks(events, new ClaudeStreamMapper(), call.modelId);
  }
}
