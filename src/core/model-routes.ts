import { type ModelRoute, routeModel } from "./model-router.js";
import type { ProviderRegistry } from "./provider-registry.js";

/** A model name of the models file, and the targets tried in order. */
export interface ModelAlias {
  name: string;
  targets: readonly ModelRoute[];
}

/** Where a request's model goes. */
export interface ResolvedModel {
  /** The models-file name the request used; undefined for a model routed as it is. */
  alias?: string;
  /** Tried in order until one answers. */
  targets: readonly ModelRoute[];
}

/**
 * A front door's table of public model names (the Anthropic Messages API's
 * `claude-sonnet-4-5-20250929`): the model a name stands for on this server,
 * or undefined for a name it does not know.
 */
export type ModelNameTable = (name: string) => string | undefined;

export interface ModelRoutesOptions {
  defaultOpenAIModel: string;
  aliases?: readonly ModelAlias[];
  /** The models file's overrides of the Anthropic front door's table. */
  anthropicModels?: ReadonlyMap<string, string>;
}

/**
 * One configuration's routing: its providers, by name, and the model names
 * of its models file. A reload makes a new one; a call keeps the one it
 * started with.
 */
export class ModelRoutes {
  readonly registry: ProviderRegistry;
  readonly aliases: readonly ModelAlias[];
  readonly #byName: ReadonlyMap<string, ModelAlias>;
  readonly #anthropicModels: ReadonlyMap<string, string>;
  readonly #defaultOpenAIModel: string;

  constructor(registry: ProviderRegistry, options: ModelRoutesOptions) {
    this.registry = registry;
    this.aliases = options.aliases ?? [];
    this.#byName = new Map(this.aliases.map((alias) => [alias.name, alias]));
    this.#anthropicModels = options.anthropicModels ?? new Map();
    this.#defaultOpenAIModel = options.defaultOpenAIModel;
  }

  /**
   * The targets of a request's model. A models-file name comes first; then,
   * for a caller that speaks a front door's public names (`publicNames`),
   * the models file's `anthropic_models` and then that table; then the
   * router's rules for the name as it is.
   */
  resolve(model: string, publicNames?: ModelNameTable): ResolvedModel {
    const name = model.trim();
    const alias = this.#byName.get(name);
    if (alias) return { alias: alias.name, targets: alias.targets };
    if (publicNames) {
      const standsFor = this.#anthropicModels.get(name) ?? publicNames(name);
      if (standsFor !== undefined && standsFor.trim() !== name) return this.resolve(standsFor);
    }
    return { targets: [this.#route(name)] };
  }

  /** Where a model goes by the router's rules alone, named providers included. */
  #route(model: string): ModelRoute {
    return routeModel(model, this.#defaultOpenAIModel, this.registry.names());
  }
}
