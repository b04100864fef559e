import type { AppConfig, OpenAIConfig } from "./config/load-config.js";
import type { ModelsFile, NamedProvider } from "./config/models-file.js";
import { bedrockConfigOf, openAIConfigOf } from "./config/named-provider-configs.js";
import type { ProviderName } from "./core/model-router.js";
import { ModelRoutes } from "./core/model-routes.js";
import type { ChatProvider } from "./core/provider.js";
import { type ProviderFactories, ProviderRegistry } from "./core/provider-registry.js";
import { createBedrockProvider } from "./providers/bedrock/create-bedrock-provider.js";
import { OpenAIProvider } from "./providers/openai/openai-provider.js";
import type { createOpenAISdkExchange } from "./providers/openai/openai-sdk-exchange.js";
import { createOpenAIUndiciExchange } from "./providers/openai/openai-undici-exchange.js";
import type { RetryPolicy } from "./providers/upstream/retry-policy.js";

function unsetHint(names: readonly string[], file: ModelsFile): string {
  const variables = names.map((name) => `\${${name}}`).join(" and ");
  return `set ${variables}, which ${file.path} reads from the environment`;
}

/**
 * Builds the providers of one server: the environment's `openai` and
 * `bedrock`, and the models file's named ones, each with its own
 * credentials and the server's retry policy. Each is built once: a reload of
 * the models file keeps a provider whose definition did not change, with
 * its connections and its cached credentials.
 */
export class ProviderSetup {
  readonly #config: AppConfig;
  readonly #retry: (name: ProviderName) => RetryPolicy;
  readonly #openAISdkExchange: typeof createOpenAISdkExchange | undefined;
  readonly #built = new Map<ProviderName, { definition: string; provider: ChatProvider }>();

  /** `openAISdkExchange`: the SDK exchange, loaded by `loadOpenAISdkExchange` when OPENAI_HTTP_CLIENT asks for it. */
  constructor(
    config: AppConfig,
    retry: (name: ProviderName) => RetryPolicy,
    openAISdkExchange?: typeof createOpenAISdkExchange,
  ) {
    this.#config = config;
    this.#retry = retry;
    this.#openAISdkExchange = openAISdkExchange;
  }

  /** The routing of the environment's providers and of `file`'s providers and models. */
  routes(file: ModelsFile | undefined): ModelRoutes {
    const { openai, bedrock, upstreamTimeoutMs } = this.#config;
    const factories: ProviderFactories = {};
    const setupHints: Record<ProviderName, string> = {};
    if (openai) factories.openai = this.#once("openai", openai, () => this.#openAI("openai", openai));
    if (bedrock) {
      factories.bedrock = this.#once("bedrock", bedrock, () =>
        createBedrockProvider(bedrock, upstreamTimeoutMs, { retry: this.#retry("bedrock") }),
      );
    }
    for (const named of file?.providers ?? []) {
      if (file && named.unsetVariables.length > 0) {
        setupHints[named.name] = unsetHint(named.unsetVariables, file);
        continue;
      }
      factories[named.name] = this.#once(named.name, named, () => this.#named(named));
    }
    return new ModelRoutes(new ProviderRegistry(factories, setupHints), {
      defaultOpenAIModel: this.#config.defaultOpenAIModel,
      aliases: file?.models ?? [],
      ...(file ? { anthropicModels: file.anthropicModels } : {}),
    });
  }

  #named(named: NamedProvider): ChatProvider {
    const defaults = this.#config.providerDefaults;
    if (named.type === "openai") return this.#openAI(named.name, openAIConfigOf(named, defaults));
    return createBedrockProvider(bedrockConfigOf(named, defaults), this.#config.upstreamTimeoutMs, {
      name: named.name,
      retry: this.#retry(named.name),
    });
  }

  #openAI(name: ProviderName, config: OpenAIConfig): ChatProvider {
    const exchange = config.httpClient === "sdk" ? this.#openAISdkExchange : createOpenAIUndiciExchange;
    if (exchange === undefined) throw new Error("OPENAI_HTTP_CLIENT=sdk, but the SDK exchange was not loaded");
    const options = {
      apiKey: config.apiKey,
      baseURL: config.baseURL,
      timeoutMs: this.#config.upstreamTimeoutMs,
      retry: this.#retry(name),
    };
    return new OpenAIProvider(exchange(options), name);
  }

  /** A factory that builds the provider on first use, or hands over the one built before from the same definition. */
  #once(name: ProviderName, definition: unknown, build: () => ChatProvider): () => ChatProvider {
    const key = JSON.stringify(definition);
    return () => {
      const built = this.#built.get(name);
      if (built?.definition === key) return built.provider;
      const provider = build();
      this.#built.set(name, { definition: key, provider });
      return provider;
    };
  }
}

/**
 * The OpenAI SDK exchange when the configuration uses it: the `openai`
 * package is loaded only then, since the default exchange (undici) never
 * needs it and it weighs about 13 MiB of resident memory.
 */
export async function loadOpenAISdkExchange(config: AppConfig): Promise<typeof createOpenAISdkExchange | undefined> {
  const wanted = config.openai?.httpClient === "sdk" || config.providerDefaults.openaiHttpClient === "sdk";
  if (!wanted) return undefined;
  return (await import("./providers/openai/openai-sdk-exchange.js")).createOpenAISdkExchange;
}
