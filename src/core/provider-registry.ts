import { ConfigurationError } from "./errors.js";
import { PROVIDER_NAMES, type ProviderName } from "./model-router.js";
import type { ChatProvider } from "./provider.js";

export type ProviderFactories = Partial<Record<ProviderName, () => ChatProvider>>;

const SETUP_HINTS: Readonly<Record<ProviderName, string>> = {
  openai: "set OPENAI_API_KEY (see docs/configuration.md#openai)",
  bedrock: "give the server AWS credentials (see docs/configuration.md#aws-bedrock)",
};

/**
 * Holds the providers of one configuration, by name: the environment's
 * `openai` and `bedrock`, and the models file's named ones. Each is built on
 * first use and then reused, so its upstream client (connection pool,
 * credentials cache) lives as long as the configuration.
 */
export class ProviderRegistry {
  readonly #factories: ProviderFactories;
  readonly #setupHints: Readonly<Record<ProviderName, string>>;
  readonly #names: readonly ProviderName[];
  readonly #built = new Map<ProviderName, ChatProvider>();

  /**
   * `factories` builds each configured provider; `setupHints` names the
   * providers that are defined but not configured (a models file's provider
   * whose key is unset), with what to set.
   */
  constructor(factories: ProviderFactories, setupHints: Readonly<Record<ProviderName, string>> = {}) {
    this.#factories = factories;
    this.#setupHints = { ...SETUP_HINTS, ...setupHints };
    this.#names = [...new Set([...PROVIDER_NAMES, ...Object.keys(factories), ...Object.keys(setupHints)])];
  }

  /** Every provider a model may name, configured or not: the environment's first, then the models file's. */
  names(): readonly ProviderName[] {
    return this.#names;
  }

  /** The providers this configuration has credentials for, in the same order. */
  configured(): ProviderName[] {
    return this.#names.filter((name) => this.isConfigured(name));
  }

  isConfigured(name: ProviderName): boolean {
    return this.#factories[name] !== undefined;
  }

  get(name: ProviderName): ChatProvider {
    const existing = this.#built.get(name);
    if (existing) return existing;
    const factory = this.#factories[name];
    if (!factory) {
      const hint = this.#setupHints[name] ?? "define it in the models file";
      throw new ConfigurationError(`The ${name} provider is not configured on this server: ${hint}.`);
    }
    const provider = factory();
    this.#built.set(name, provider);
    return provider;
  }
}
