import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  ListModelsResponse,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { abandoned, callFailure, secondsSince } from "./call-failure.js";
import { type CallObserver, type ChatObserver, NO_OBSERVER, type TransportProtocol } from "./chat-observer.js";
import { GatewayError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { ModelCatalog } from "./model-catalog.js";
import { type ProviderName, routeModel } from "./model-router.js";
import type { ChatProvider, ProviderCall } from "./provider.js";
import type { ProviderRegistry } from "./provider-registry.js";
import { validateChatRequest } from "./validate-request.js";

/** What a transport knows about the call it is serving. */
export interface CallContext {
  /** The wire protocol the call came in on. */
  protocol: TransportProtocol;
  /** Fires when the caller goes away or its deadline passes. */
  signal: AbortSignal;
  logger?: Logger;
}

export interface ChatServiceDeps {
  registry: ProviderRegistry;
  catalog: ModelCatalog;
  defaultOpenAIModel: string;
  /** Told about every call (metrics); nobody by default. */
  observer?: ChatObserver;
  /** Most messages one request may carry; no limit by default. */
  maxMessages?: number;
}

/**
 * The one implementation of ChatService. Every transport (gRPC, gRPC-Web,
 * Connect, the OpenAI HTTP API) calls these methods with the canonical
 * messages; the answer and every error are the same whichever way they came.
 */
export class ChatService {
  readonly #deps: ChatServiceDeps;
  readonly #observer: ChatObserver;

  constructor(deps: ChatServiceDeps) {
    this.#deps = deps;
    this.#observer = deps.observer ?? NO_OBSERVER;
  }

  async createChatCompletion(request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResponse> {
    const started = performance.now();
    const observed = this.#observer.begin(context.protocol, "chat");
    let provider: ChatProvider | undefined;
    try {
      const prepared = this.#prepare(request, context, observed);
      provider = prepared.provider;
      const response = await provider.createChatCompletion(request, prepared.call);
      if (response.usage !== undefined) observed.usage(response.usage);
      observed.end(secondsSince(started));
      return response;
    } catch (error) {
      const failed = provider ? this.#failure(error, context.signal, provider.name) : GatewayError.from(error);
      observed.end(secondsSince(started), failed);
      throw failed;
    }
  }

  async *streamChatCompletion(
    request: ChatCompletionRequest,
    context: CallContext,
  ): AsyncGenerator<ChatCompletionChunk> {
    const started = performance.now();
    const observed = this.#observer.begin(context.protocol, "chat_stream");
    const includeUsage = request.streamOptions?.includeUsage === true;
    let provider: ChatProvider | undefined;
    let failed: GatewayError | undefined;
    let completed = false;
    try {
      const prepared = this.#prepare(request, context, observed);
      provider = prepared.provider;
      let first = true;
      for await (const chunk of provider.streamChatCompletion(request, prepared.call)) {
        if (first) {
          first = false;
          observed.firstChunk(secondsSince(started));
        }
        if (chunk.usage !== undefined) {
          // Counted whether or not the caller asked to see it.
          observed.usage(chunk.usage);
          if (!includeUsage) {
            if (chunk.choices.length === 0) continue;
            chunk.usage = undefined;
          }
        }
        yield chunk;
      }
      completed = true;
    } catch (error) {
      failed = provider ? this.#failure(error, context.signal, provider.name) : GatewayError.from(error);
      throw failed;
    } finally {
      // Neither done nor failed: the transport stopped reading because the caller went away.
      observed.end(secondsSince(started), completed ? undefined : (failed ?? abandoned(context.signal)));
    }
  }

  async listModels(context: Pick<CallContext, "protocol">): Promise<ListModelsResponse> {
    const started = performance.now();
    const observed = this.#observer.begin(context.protocol, "models");
    try {
      const data = await this.#deps.catalog.list();
      observed.end(secondsSince(started));
      return { $typeName: "openbedrock.v1.ListModelsResponse", data };
    } catch (error) {
      const failed = GatewayError.from(error);
      observed.end(secondsSince(started), failed);
      throw failed;
    }
  }

  #prepare(request: ChatCompletionRequest, context: CallContext, observed: CallObserver) {
    validateChatRequest(request, this.#deps.maxMessages);
    const route = routeModel(request.model, this.#deps.defaultOpenAIModel);
    observed.routed(route.provider, route.modelId);
    const provider = this.#deps.registry.get(route.provider);
    context.logger?.debug({ model: request.model, provider: route.provider }, "routed");
    const call: ProviderCall = { modelId: route.modelId, signal: context.signal };
    return { provider, call };
  }

  #failure(error: unknown, signal: AbortSignal, provider: ProviderName): GatewayError {
    return callFailure(error, signal, (failed) => this.#observer.upstreamFailed(provider, failed));
  }
}
