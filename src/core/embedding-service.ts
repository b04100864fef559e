import { create } from "@bufbuild/protobuf";
import { UsageSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import type { CreateEmbeddingsRequest, CreateEmbeddingsResponse } from "../../gen/openbedrock/v1/embedding_pb.js";
import { type ChatObserver, NO_OBSERVER } from "./chat-observer.js";
import type { CallContext } from "./chat-service.js";
import { GatewayError, InvalidRequestError } from "./errors.js";
import { routeModel } from "./model-router.js";
import type { ChatProvider, EmbeddingCapability, ProviderCall } from "./provider.js";
import { providerFailure, secondsSince } from "./provider-failure.js";
import type { ProviderRegistry } from "./provider-registry.js";
import { validateEmbeddingsRequest } from "./validate-embeddings-request.js";

export interface EmbeddingServiceDeps {
  /** The providers in force; a reload of the models file replaces them. */
  registry: () => ProviderRegistry;
  defaultOpenAIModel: string;
  /** Told about every call (metrics); nobody by default. */
  observer?: ChatObserver;
}

/**
 * The one implementation of EmbeddingService. Every transport (gRPC,
 * gRPC-Web, Connect, the OpenAI HTTP API) calls it with the canonical
 * request; the request is routed by its model exactly as a chat request is.
 */
export class EmbeddingService {
  readonly #deps: EmbeddingServiceDeps;
  readonly #observer: ChatObserver;

  constructor(deps: EmbeddingServiceDeps) {
    this.#deps = deps;
    this.#observer = deps.observer ?? NO_OBSERVER;
  }

  async createEmbeddings(request: CreateEmbeddingsRequest, context: CallContext): Promise<CreateEmbeddingsResponse> {
    const started = performance.now();
    const observed = this.#observer.begin(context.protocol, "embeddings");
    let provider: ChatProvider | undefined;
    try {
      validateEmbeddingsRequest(request);
      const registry = this.#deps.registry();
      const route = routeModel(request.model, this.#deps.defaultOpenAIModel, registry.names());
      observed.routed(route.provider, route.modelId);
      const routed = registry.get(route.provider);
      const capability = embedder(routed);
      provider = routed;
      context.logger?.debug({ model: request.model, provider: route.provider }, "routed");
      const call: ProviderCall = { modelId: route.modelId, signal: context.signal };
      const response = await capability.createEmbeddings(request, call);
      const usage = response.usage;
      if (usage !== undefined) {
        observed.usage(create(UsageSchema, { promptTokens: usage.promptTokens, totalTokens: usage.totalTokens }));
      }
      observed.end(secondsSince(started));
      return response;
    } catch (error) {
      const failed = provider
        ? providerFailure(error, context.signal, provider.name, this.#observer)
        : GatewayError.from(error);
      observed.end(secondsSince(started), failed);
      throw failed;
    }
  }
}

function embedder(provider: ChatProvider): EmbeddingCapability {
  if (provider.createEmbeddings) return provider as EmbeddingCapability;
  throw new InvalidRequestError(`The ${provider.name} provider makes no embeddings.`, {
    param: "model",
    code: "model_not_supported",
  });
}
