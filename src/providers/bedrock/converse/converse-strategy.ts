import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderCall } from "../../../core/provider.js";
import type { ConverseRequest } from "../../../wire/bedrock-converse.js";
import { toAnswerChunks } from "../answer-chunks.js";
import { toChatCompletionResponse } from "../assistant-answer.js";
import type { BedrockExchange } from "../bedrock-exchange.js";
import type { FamilyStrategy } from "../family-strategy.js";
import type { ImageFetcher } from "../images/image-fetcher.js";
import { prepareConversation } from "../prepare-conversation.js";
import { refuseUnsupported, UNSUPPORTED_ON_BEDROCK } from "../refuse-unsupported.js";
import { ConverseStreamMapper } from "./converse-stream-mapper.js";
import { fromConverseResponse, readConverseResponse } from "./from-converse-response.js";
import { toConverseRequest } from "./to-converse-request.js";

const FAMILY = "Bedrock models";

/** Every model that is neither Claude nor Titan text: Converse / ConverseStream. */
export class ConverseStrategy implements FamilyStrategy {
  readonly #exchange: BedrockExchange;
  readonly #images: ImageFetcher;

  constructor(exchange: BedrockExchange, images: ImageFetcher) {
    this.#exchange = exchange;
    this.#images = images;
  }

  async #body(request: ChatCompletionRequest, call: ProviderCall): Promise<ConverseRequest> {
    refuseUnsupported(request, FAMILY, UNSUPPORTED_ON_BEDROCK);
    return toConverseRequest(request, await prepareConversation(request, this.#images, call.signal));
  }

  async complete(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse> {
    const answer = await this.#exchange.converse(call.modelId, await this.#body(request, call), call.signal);
    return toChatCompletionResponse(fromConverseResponse(readConverseResponse(answer)), call.modelId);
  }

  async *stream(request: ChatCompletionRequest, call: ProviderCall): AsyncGenerator<ChatCompletionChunk> {
    const events = this.#exchange.converseStream(call.modelId, await this.#body(request, call), call.signal);
    yield* toAnswerChunks(events, new ConverseStreamMapper(), call.modelId);
  }
}
