import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  ListModelsResponse,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { CanceledError, GatewayError, toGatewayError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { ModelCatalog } from "./model-catalog.js";
import { routeModel } from "./model-router.js";
import type { ProviderCall } from "./provider.js";
import type { ProviderRegistry } from "./provider-registry.js";
import { validateChatRequest } from "./validate-request.js";

/** What a transport knows about the call it is serving. */
export interface CallContext {
  /** Fires when the caller goes away or its deadline passes. */
  signal: AbortSignal;
  logger?: Logger;
}

export interface ChatServiceDeps {
  registry: ProviderRegistry;
  catalog: ModelCatalog;
  defaultOpenAIModel: string;
}

/**
 * The one implementation of ChatService. Every transport (gRPC, gRPC-Web,
 * Connect, the OpenAI HTTP API) calls these methods with the canonical
 * messages; the answer and every error are the same whichever way they came.
 */
export class ChatService {
  readonly #deps: ChatServiceDeps;

  constructor(deps: ChatServiceDeps) {
    this.#deps = deps;
  }

  async createChatCompletion(request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResponse> {
    const { provider, call } = this.#prepare(request, context);
    try {
      return await provider.createChatCompletion(request, call);
    } catch (error) {
      throw failure(error, context.signal);
    }
  }

  async *streamChatCompletion(
    request: ChatCompletionRequest,
    context: CallContext,
  ): AsyncGenerator<ChatCompletionChunk> {
    const { provider, call } = this.#prepare(request, context);
    const includeUsage = request.streamOptions?.includeUsage === true;
    try {
      for await (const chunk of provider.streamChatCompletion(request, call)) {
        if (chunk.usage !== undefined && !includeUsage) {
          if (chunk.choices.length === 0) continue;
          chunk.usage = undefined;
        }
        yield chunk;
      }
    } catch (error) {
      throw failure(error, context.signal);
    }
  }

  async listModels(): Promise<ListModelsResponse> {
    const data = await this.#deps.catalog.list();
    return { $typeName: "openbedrock.v1.ListModelsResponse", data };
  }

  #prepare(request: ChatCompletionRequest, context: CallContext) {
    validateChatRequest(request);
    const route = routeModel(request.model, this.#deps.defaultOpenAIModel);
    const provider = this.#deps.registry.get(route.provider);
    context.logger?.debug({ model: request.model, provider: route.provider }, "routed");
    const call: ProviderCall = { modelId: route.modelId, signal: context.signal };
    return { provider, call };
  }
}

/**
 * After the caller's signal fired, whatever the provider says is reported as
 * the signal's own reason (a deadline, a shutdown) or as a cancellation.
 */
function failure(error: unknown, signal: AbortSignal): GatewayError {
  if (!signal.aborted) return toGatewayError(error);
  const reason: unknown = signal.reason;
  if (reason instanceof GatewayError) return reason;
  return new CanceledError("The request was cancelled by the caller.", { cause: error });
}
