import { ConfigurationError } from "./errors.js";
import { PROVIDER_NAMES, type ProviderName } from "./model-router.js";
import type { ChatProvider } from "./provider.js";

export type ProviderFactories = Partial<Record<ProviderName, () => ChatProvider>>;

const SETUP_HINTS: Record<ProviderName, string> = {
  openai: "set OPENAI_API_KEY (see docs/configuration.md#openai)",
  bedrock: "give the server AWS credentials (see docs/configuration.md#aws-bedrock)",
};

/**
 * Holds the providers of one configuration. Each is built on first use and
 * then reused, so its upstream client (connection pool, credentials cache)
 * lives as long as the server.
 */
export class ProviderRegistry {
  readonly #factories: ProviderFactories;
  readonly #built = new Map<ProviderName, ChatProvider>();

  constructor(factories: ProviderFactories) {
    this.#factories = factories;
  }

  /** The providers this configuration has credentials for. */
  configured(): ProviderName[] {
    return PROVIDER_NAMES.filter((name) => this.#factories[name] !== undefined);
  }

  isConfigured(name: ProviderName): boolean {
    return this.#factories[name] !== undefined;
  }

  get(name: ProviderName): ChatProvider {
    const existing = this.#built.get(name);
    if (existing) return existing;
    const factory = this.#factories[name];
    if (!factory) {
      throw new ConfigurationError(`The ${name} provider is not configured on this server: ${SETUP_HINTS[name]}.`);
    }
    const provider = factory();
    this.#built.set(name, provider);
    return provider;
  }
}
