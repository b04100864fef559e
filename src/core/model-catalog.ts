import type { Model } from "../../gen/openbedrock/v1/chat_pb.js";
import { type ChatObserver, NO_OBSERVER } from "./chat-observer.js";
import { GatewayError } from "./errors.js";
import type { Logger } from "./logger.js";
import { type ProviderName, routeModel } from "./model-router.js";
import type { ProviderRegistry } from "./provider-registry.js";

const FRESH_FOR_MS = 10 * 60_000;
const RETRY_FAILED_AFTER_MS = 30_000;

interface CacheEntry {
  models: Model[];
  expiresAt: number;
}

/**
 * The models every configured provider offers, cached per provider. A
 * provider whose listing fails contributes its last good list (or nothing);
 * the listing as a whole never fails because of one provider.
 */
export class ModelCatalog {
  readonly #registry: ProviderRegistry;
  readonly #logger: Logger;
  readonly #defaultOpenAIModel: string;
  readonly #observer: ChatObserver;
  readonly #cache = new Map<ProviderName, CacheEntry>();
  readonly #pending = new Map<ProviderName, Promise<Model[]>>();

  constructor(registry: ProviderRegistry, logger: Logger, defaultOpenAIModel: string, observer = NO_OBSERVER) {
    this.#registry = registry;
    this.#logger = logger;
    this.#defaultOpenAIModel = defaultOpenAIModel;
    this.#observer = observer;
  }

  async list(): Promise<Model[]> {
    const lists = await Promise.all(this.#registry.configured().map((name) => this.#listOf(name)));
    return lists.flat();
  }

  #listOf(name: ProviderName): Promise<Model[]> {
    const cached = this.#cache.get(name);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.models);
    let pending = this.#pending.get(name);
    if (!pending) {
      pending = this.#fetch(name, cached).finally(() => this.#pending.delete(name));
      this.#pending.set(name, pending);
    }
    return pending;
  }

  async #fetch(name: ProviderName, stale: CacheEntry | undefined): Promise<Model[]> {
    try {
      const listed = await this.#registry.get(name).listModels(AbortSignal.timeout(15_000));
      const models = listed.map((model) => this.#routable(name, model));
      this.#cache.set(name, { models, expiresAt: Date.now() + FRESH_FOR_MS });
      return models;
    } catch (error) {
      this.#logger.warn({ provider: name, err: error }, "listing models failed");
      this.#observer.upstreamFailed(name, GatewayError.from(error));
      const models = stale?.models ?? [];
      this.#cache.set(name, { models, expiresAt: Date.now() + RETRY_FAILED_AFTER_MS });
      return models;
    }
  }

  /** Every listed id must route back to the same model of the provider that listed it. */
  #routable(name: ProviderName, model: Model): Model {
    const route = routeModel(model.id, this.#defaultOpenAIModel);
    if (route.provider === name && route.modelId === model.id) return model;
    return { ...model, id: `${name}/${model.id}` };
  }
}
