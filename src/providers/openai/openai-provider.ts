import { create } from "@bufbuild/protobuf";
import {
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatCompletionResponse,
  type Model,
  ModelSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ChatProvider, ProviderCall } from "../../core/provider.js";
import { fromOpenAIChunk, fromOpenAIResponse } from "./from-openai-response.js";
import type { OpenAIExchange } from "./openai-exchange.js";
import { toOpenAIRequest, toOpenAIStreamRequest } from "./to-openai-request.js";

export class OpenAIProvider implements ChatProvider {
  readonly name = "openai";
  readonly #exchange: OpenAIExchange;

  constructor(exchange: OpenAIExchange) {
    this.#exchange = exchange;
  }

  async createChatCompletion(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse> {
    const answer = await this.#exchange.complete(toOpenAIRequest(request, call.modelId), call.signal);
    return fromOpenAIResponse(answer);
  }

  async *streamChatCompletion(request: ChatCompletionRequest, call: ProviderCall): AsyncGenerator<ChatCompletionChunk> {
    const body = toOpenAIStreamRequest(request, call.modelId);
    for await (const chunk of this.#exchange.stream(body, call.signal)) yield fromOpenAIChunk(chunk);
  }

  async listModels(signal: AbortSignal): Promise<Model[]> {
    const models = await this.#exchange.listModels(signal);
    return models.map((model) =>
      create(ModelSchema, { id: model.id, created: BigInt(model.created ?? 0), ownedBy: model.owned_by ?? "openai" }),
    );
  }
}
