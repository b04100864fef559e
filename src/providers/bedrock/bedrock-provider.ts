import type { JsonObject } from "@bufbuild/protobuf";
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  Model,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import type { CreateEmbeddingsRequest, CreateEmbeddingsResponse } from "../../../gen/openbedrock/v1/embedding_pb.js";
import { notAChatModel } from "../../core/model-kind.js";
import type { ProviderName } from "../../core/model-router.js";
import type { ChatProvider, MessagesCall, MessagesCapability, ProviderCall } from "../../core/provider.js";
import { type BedrockSettings, DEFAULT_BEDROCK_SETTINGS } from "./bedrock-controls.js";
import type { BedrockExchange } from "./bedrock-exchange.js";
import type { ImageLoader } from "./bedrock-request.js";
import { claudeMessages } from "./claude/claude-messages.js";
import { claudeFamily } from "./claude/claude-strategy.js";
import { converseFamily } from "./converse/converse-strategy.js";
import { embedOnBedrock } from "./embeddings/embed-on-bedrock.js";
import { embeddingFamilyOf } from "./embeddings/embedding-families.js";
import { type FamilyStrategy, familyStrategy } from "./family-strategy.js";
import type { ImageFetcher } from "./images/image-fetcher.js";
import { listBedrockModels } from "./list-bedrock-models.js";
import { loadConversationImages } from "./load-conversation-images.js";
import { type ModelFamily, modelFamily } from "./model-family.js";
import { titanFamily } from "./titan/titan-strategy.js";

/**
 * AWS Bedrock: each request goes to the strategy of its model's family
 * (Claude, Titan text, or Converse for every other model); answers come back
 * in the canonical shape, `model` being the Bedrock model id asked for. The
 * server's settings (a guardrail, automatic cache breakpoints) apply to
 * every chat request. Embedding models (Titan, Cohere, Nova embeddings)
 * answer embeddings only.
 */
export class BedrockProvider implements ChatProvider, MessagesCapability {
  readonly name: ProviderName;
  readonly #exchange: BedrockExchange;
  readonly #messages: MessagesCapability;
  readonly #strategies: Record<ModelFamily, FamilyStrategy>;

  constructor(
    exchange: BedrockExchange,
    images: ImageFetcher,
    settings: BedrockSettings = DEFAULT_BEDROCK_SETTINGS,
    name: ProviderName = "bedrock",
  ) {
    this.name = name;
    this.#exchange = exchange;
    this.#messages = claudeMessages(exchange, settings);
    const loadImages: ImageLoader = (messages, signal) => loadConversationImages(messages, images, signal);
    this.#strategies = {
      claude: familyStrategy(exchange, claudeFamily(loadImages, settings)),
      titan: familyStrategy(exchange, titanFamily(settings)),
      converse: familyStrategy(exchange, converseFamily(loadImages, settings)),
    };
  }

  createChatCompletion(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse> {
    return this.#chatStrategy(call.modelId).complete(request, call);
  }

  streamChatCompletion(request: ChatCompletionRequest, call: ProviderCall): AsyncIterable<ChatCompletionChunk> {
    return this.#chatStrategy(call.modelId).stream(request, call);
  }

  createEmbeddings(request: CreateEmbeddingsRequest, call: ProviderCall): Promise<CreateEmbeddingsResponse> {
    return embedOnBedrock(this.#exchange, request, call);
  }

  takesMessagesBody(modelId: string): boolean {
    return this.#messages.takesMessagesBody(modelId);
  }

  createMessage(body: JsonObject, call: MessagesCall): Promise<JsonObject> {
    return this.#messages.createMessage(body, call);
  }

  streamMessage(body: JsonObject, call: MessagesCall): AsyncIterable<JsonObject> {
    return this.#messages.streamMessage(body, call);
  }

  countMessageTokens(body: JsonObject, call: MessagesCall): Promise<number | undefined> {
    return this.#messages.countMessageTokens(body, call);
  }

  listModels(signal: AbortSignal): Promise<Model[]> {
    return listBedrockModels(this.#exchange, signal);
  }

  /** The strategy of a chat model's family; an embedding model is refused before anything is sent. */
  #chatStrategy(modelId: string): FamilyStrategy {
    if (embeddingFamilyOf(modelId)) throw notAChatModel(modelId);
    return this.#strategies[modelFamily(modelId)];
  }
}
