import { create } from "@bufbuild/protobuf";
import {
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatCompletionResponse,
  type Model,
  ModelSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import type { CreateEmbeddingsRequest, CreateEmbeddingsResponse } from "../../../gen/openbedrock/v1/embedding_pb.js";
import { notAChatModel, notAnEmbeddingModel } from "../../core/model-kind.js";
import type { ProviderName } from "../../core/model-router.js";
import type { ChatProvider, ProviderCall } from "../../core/provider.js";
import { fromOpenAIEmbeddingsResponse } from "./from-openai-embeddings-response.js";
import { fromOpenAIChunk, fromOpenAIResponse } from "./from-openai-response.js";
import type { OpenAIExchange } from "./openai-exchange.js";
import { isOpenAIChatModel, isOpenAIEmbeddingModel } from "./openai-model-kind.js";
import { toOpenAIEmbeddingsRequest } from "./to-openai-embeddings-request.js";
import { toOpenAIRequest, toOpenAIStreamRequest } from "./to-openai-request.js";

/** A chat request for a model OpenAI names as an embedding model is refused before it is sent. */
function refuseEmbeddingModel(modelId: string): void {
  if (isOpenAIEmbeddingModel(modelId)) throw notAChatModel(modelId);
}

export class OpenAIProvider implements ChatProvider {
  readonly name: ProviderName;
  readonly #exchange: OpenAIExchange;

  /** `name`: `openai`, or the models file's name for this server or account. */
  constructor(exchange: OpenAIExchange, name: ProviderName = "openai") {
    this.name = name;
    this.#exchange = exchange;
  }

  async createChatCompletion(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse> {
    refuseEmbeddingModel(call.modelId);
    const answer = await this.#exchange.complete(toOpenAIRequest(request, call.modelId), call.signal);
    return fromOpenAIResponse(answer);
  }

  async *streamChatCompletion(request: ChatCompletionRequest, call: ProviderCall): AsyncGenerator<ChatCompletionChunk> {
    refuseEmbeddingModel(call.modelId);
    const body = toOpenAIStreamRequest(request, call.modelId);
    for await (const chunk of this.#exchange.stream(body, call.signal)) yield fromOpenAIChunk(chunk);
  }

  /** Passed through: texts or token ids, `dimensions` and `user` as given. */
  async createEmbeddings(request: CreateEmbeddingsRequest, call: ProviderCall): Promise<CreateEmbeddingsResponse> {
    if (isOpenAIChatModel(call.modelId)) throw notAnEmbeddingModel(call.modelId, " (OpenAI's are text-embedding-*)");
    const answer = await this.#exchange.embed(toOpenAIEmbeddingsRequest(request, call.modelId), call.signal);
    return fromOpenAIEmbeddingsResponse(answer, request.input.length + request.inputTokens.length);
  }

  async listModels(signal: AbortSignal): Promise<Model[]> {
    const models = await this.#exchange.listModels(signal);
    return models.map((model) =>
      create(ModelSchema, { id: model.id, created: BigInt(model.created ?? 0), ownedBy: model.owned_by ?? "openai" }),
    );
  }
}
