import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  Model,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderName } from "../../core/model-router.js";
import type { ChatProvider, ProviderCall } from "../../core/provider.js";
import type { BedrockExchange } from "./bedrock-exchange.js";
import { claudeFamily } from "./claude/claude-strategy.js";
import { converseFamily } from "./converse/converse-strategy.js";
import { type FamilyStrategy, familyStrategy } from "./family-strategy.js";
import type { ImageFetcher } from "./images/image-fetcher.js";
import { listBedrockModels } from "./list-bedrock-models.js";
import { type ModelFamily, modelFamily } from "./model-family.js";
import { TITAN_FAMILY } from "./titan/titan-strategy.js";

/**
 * AWS Bedrock: each request goes to the strategy of its model's family
 * (Claude, Titan text, or Converse for every other model); answers come back
 * in the canonical shape, `model` being the Bedrock model id asked for.
 */
export class BedrockProvider implements ChatProvider {
  readonly name: ProviderName;
  readonly #exchange: BedrockExchange;
  readonly #strategies: Record<ModelFamily, FamilyStrategy>;

  constructor(exchange: BedrockExchange, images: ImageFetcher, name: ProviderName = "bedrock") {
    this.name = name;
    this.#exchange = exchange;
    this.#strategies = {
      claude: familyStrategy(exchange, claudeFamily(images)),
      titan: familyStrategy(exchange, TITAN_FAMILY),
      converse: familyStrategy(exchange, converseFamily(images)),
    };
  }

  createChatCompletion(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse> {
    return this.#strategies[modelFamily(call.modelId)].complete(request, call);
  }

  streamChatCompletion(request: ChatCompletionRequest, call: ProviderCall): AsyncIterable<ChatCompletionChunk> {
    return this.#strategies[modelFamily(call.modelId)].stream(request, call);
  }

  listModels(signal: AbortSignal): Promise<Model[]> {
    return listBedrockModels(this.#exchange, signal);
  }
}
