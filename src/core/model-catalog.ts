import { create } from "@bufbuild/protobuf";
import { type Model, ModelSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import { type ChatObserver, NO_OBSERVER } from "./chat-observer.js";
import { GatewayError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { ProviderName } from "./model-router.js";
import type { ModelRoutes } from "./model-routes.js";
import type { ChatProvider } from "./provider.js";

const FRESH_FOR_MS = 10 * 60_000;
const RETRY_FAILED_AFTER_MS = 30_000;

/** `owned_by` of the models file's own model names. */
export const ALIAS_OWNER = "open-bedrock";

interface CacheEntry {
  models: Model[];
  expiresAt: number;
}

/**
 * The models a caller can name: the models file's names, then what every
 * configured provider offers, cached per provider. A provider whose listing
 * fails contributes its last good list (or nothing); the listing as a whole
 * never fails because of one provider.
 */
export class ModelCatalog {
  readonly #routes: () => ModelRoutes;
  readonly #logger: Logger;
  readonly #observer: ChatObserver;
  // By provider object: a provider a reload replaced is listed afresh, one it kept is not.
  readonly #cache = new WeakMap<ChatProvider, CacheEntry>();
  readonly #pending = new WeakMap<ChatProvider, Promise<Model[]>>();

  constructor(routes: () => ModelRoutes, logger: Logger, observer = NO_OBSERVER) {
    this.#routes = routes;
    this.#logger = logger;
    this.#observer = observer;
  }

  async list(): Promise<Model[]> {
    const routes = this.#routes();
    const names = routes.aliases.map((alias) =>
      create(ModelSchema, { id: alias.name, created: 0n, ownedBy: ALIAS_OWNER }),
    );
    const lists = await Promise.all(
      routes.registry
        .configured()
        .map(async (name) =>
          (await this.#listOf(name, routes.registry.get(name))).map((model) => routable(routes, name, model)),
        ),
    );
    // Each id once: the models file's name wins, as it does in routing.
    const seen = new Set<string>();
    return [...names, ...lists.flat()].filter((model) => !seen.has(model.id) && seen.add(model.id));
  }

  #listOf(name: ProviderName, provider: ChatProvider): Promise<Model[]> {
    const cached = this.#cache.get(provider);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.models);
    let pending = this.#pending.get(provider);
    if (!pending) {
      pending = this.#fetch(name, provider, cached).finally(() => this.#pending.delete(provider));
      this.#pending.set(provider, pending);
    }
    return pending;
  }

  async #fetch(name: ProviderName, provider: ChatProvider, stale: CacheEntry | undefined): Promise<Model[]> {
    try {
      const models = await provider.listModels(AbortSignal.timeout(15_000));
      this.#cache.set(provider, { models, expiresAt: Date.now() + FRESH_FOR_MS });
      return models;
    } catch (error) {
      this.#logger.warn({ provider: name, err: error }, "listing models failed");
      this.#observer.upstreamFailed(name, GatewayError.from(error));
      const models = stale?.models ?? [];
      this.#cache.set(provider, { models, expiresAt: Date.now() + RETRY_FAILED_AFTER_MS });
      return models;
    }
  }
}

/** Every listed id must route back to the same model of the provider that listed it. */
function routable(routes: ModelRoutes, name: ProviderName, model: Model): Model {
  const resolved = routes.resolve(model.id);
  const [route] = resolved.targets;
  if (resolved.alias === undefined && route?.provider === name && route.modelId === model.id) return model;
  return { ...model, id: `${name}/${model.id}` };
}
