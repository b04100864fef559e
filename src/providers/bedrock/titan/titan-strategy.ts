import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderCall } from "../../../core/provider.js";
import type { TitanTextRequest } from "../../../wire/titan-text.js";
import { toAnswerChunks } from "../answer-chunks.js";
import { toChatCompletionResponse } from "../assistant-answer.js";
import { toBedrockConversation } from "../bedrock-conversation.js";
import type { BedrockExchange } from "../bedrock-exchange.js";
import type { FamilyStrategy } from "../family-strategy.js";
import { fromTitanResponse, readTitanResponse } from "./from-titan-response.js";
import { refuseTitanUnsupported } from "./titan-limits.js";
import { TitanStreamMapper } from "./titan-stream-mapper.js";
import { toTitanRequest } from "./to-titan-request.js";

function noImages(): never {
  throw new Error("Titan requests carry no images");
}

/** Titan text: its own body on InvokeModel / InvokeModelWithResponseStream. */
export class TitanStrategy implements FamilyStrategy {
  readonly #exchange: BedrockExchange;

  constructor(exchange: BedrockExchange) {
    this.#exchange = exchange;
  }

  #body(request: ChatCompletionRequest): TitanTextRequest {
    refuseTitanUnsupported(request);
    return toTitanRequest(request, toBedrockConversation(request.messages, noImages));
  }

  async complete(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse> {
    const answer = await this.#exchange.invoke(call.modelId, this.#body(request), call.signal);
    return toChatCompletionResponse(fromTitanResponse(readTitanResponse(answer)), call.modelId);
  }

  async *stream(request: ChatCompletionRequest, call: ProviderCall): AsyncGenerator<ChatCompletionChunk> {
    const events = this.#exchange.invokeStream(call.modelId, this.#body(request), call.signal);
    yield* toAnswerChunks(events, new TitanStreamMapper(), call.modelId);
  }
}
