import { create } from "@bufbuild/protobuf";
import { UsageSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import type { CreateEmbeddingsRequest, CreateEmbeddingsResponse } from "../../gen/openbedrock/v1/embedding_pb.js";
import { type ChatObserver, NO_OBSERVER } from "./chat-observer.js";
import type { CallContext } from "./chat-service.js";
import { InvalidRequestError } from "./errors.js";
import type { ProviderName } from "./model-router.js";
import type { ModelRoutes } from "./model-routes.js";
import { observeCall } from "./observe-call.js";
import type { ChatProvider, EmbeddingCapability } from "./provider.js";
import type { ProviderRegistry } from "./provider-registry.js";
import type { TargetCooldown } from "./target-cooldown.js";
import { TargetTrials } from "./target-trials.js";
import { tryTargets } from "./try-targets.js";
import { validateEmbeddingsRequest } from "./validate-embeddings-request.js";

export interface EmbeddingServiceDeps {
  /** The routing in force; a reload of the models file replaces it, a call keeps the one it began with. */
  routes: () => ModelRoutes;
  /**
   * Which targets rest (COOLDOWN_FAILURES, COOLDOWN_SECONDS): one record the
   * server's services share; without it no target rests.
   */
  cooldown?: TargetCooldown;
  /** Told about every call (metrics); nobody by default. */
  observer?: ChatObserver;
}

/**
 * The one implementation of EmbeddingService. Every transport (gRPC,
 * gRPC-Web, Connect, the OpenAI HTTP API) calls it with the canonical
 * request. The model is resolved as a chat request's is: a name of the
 * models file is tried target after target, with the same fallbacks and
 * cooldown (tryTargets).
 */
export class EmbeddingService {
  readonly #observer: ChatObserver;
  readonly #trials: TargetTrials;

  constructor(deps: EmbeddingServiceDeps) {
    this.#observer = deps.observer ?? NO_OBSERVER;
    this.#trials = new TargetTrials(deps.routes, deps.cooldown, this.#observer);
  }

  createEmbeddings(request: CreateEmbeddingsRequest, context: CallContext): Promise<CreateEmbeddingsResponse> {
    return observeCall(this.#observer, context.protocol, "embeddings", async (observed) => {
      validateEmbeddingsRequest(request);
      const { answer } = await tryTargets(
        this.#trials.of(request.model, context, observed, embedders),
        (provider, call) => provider.createEmbeddings(request, call),
      );
      const usage = answer.usage;
      if (usage !== undefined) {
        observed.usage(create(UsageSchema, { promptTokens: usage.promptTokens, totalTokens: usage.totalTokens }));
      }
      return answer;
    });
  }
}

/** The registry's providers as makers of embeddings: one without them is the caller's mistake (400), never a fallback. */
function embedders(registry: ProviderRegistry): { get(name: ProviderName): EmbeddingCapability } {
  return { get: (name) => embedder(registry.get(name)) };
}

function embedder(provider: ChatProvider): EmbeddingCapability {
  if (provider.createEmbeddings) return provider as EmbeddingCapability;
  throw new InvalidRequestError(`The ${provider.name} provider makes no embeddings.`, {
    param: "model",
    code: "model_not_supported",
  });
}
