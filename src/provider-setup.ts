import type { AppConfig, OpenAIConfig } from "./config/load-config.js";
import type { ModelsFile, NamedProvider } from "./config/models-file.js";
import { bedrockConfigOf, openAIConfigOf } from "./config/named-provider-configs.js";
import type { ProviderName } from "./core/model-router.js";
import { ModelRoutes } from "./core/model-routes.js";
import type { ChatProvider } from "./core/provider.js";
import { type ProviderFactories, ProviderRegistry } from "./core/provider-registry.js";
import type { createBedrockSdkExchange } from "./providers/bedrock/aws/bedrock-sdk-exchange.js";
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
  readonly #sdkExchanges: SdkExchanges;
  readonly #built = new Map<ProviderName, { definition: string; provider: ChatProvider }>();

  /** `sdkExchanges`: the SDK exchanges `loadSdkExchanges` loaded for OPENAI_HTTP_CLIENT and BEDROCK_HTTP_CLIENT. */
  constructor(config: AppConfig, retry: (name: ProviderName) => RetryPolicy, sdkExchanges: SdkExchanges = {}) {
    this.#config = config;
    this.#retry = retry;
    this.#sdkExchanges = sdkExchanges;
  }

  /** The routing of the environment's providers and of `file`'s providers and models. */
  routes(file: ModelsFile | undefined): ModelRoutes {
    const { openai, bedrock, upstreamTimeoutMs } = this.#config;
    const factories: ProviderFactories = {};
    const setupHints: Record<ProviderName, string> = {};
    if (openai) factories.openai = this.#once("openai", openai, () => this.#openAI("openai", openai));
    if (bedrock) {
      factories.bedrock = this.#once("bedrock", bedrock, () =>
        createBedrockProvider(bedrock, upstreamTimeoutMs, {
          retry: this.#retry("bedrock"),
          sdkExchange: this.#sdkExchanges.bedrock,
        }),
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
      sdkExchange: this.#sdkExchanges.bedrock,
    });
  }

  #openAI(name: ProviderName, config: OpenAIConfig): ChatProvider {
    const exchange = config.httpClient === "sdk" ? this.#sdkExchanges.openai : createOpenAIUndiciExchange;
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

/** The SDK exchanges a server's configuration uses (`OPENAI_HTTP_CLIENT=sdk`, `BEDROCK_HTTP_CLIENT=sdk`). */
export interface SdkExchanges {
  openai?: typeof createOpenAISdkExchange | undefined;
  bedrock?: typeof createBedrockSdkExchange | undefined;
}

/**
 * Loads the SDK exchanges the configuration asks for, and only those: the
 * default exchanges (undici) need neither the `openai` package (about
 * 13 MiB of resident memory) nor the AWS SDK's Bedrock Runtime client on
 * every request.
 */
export async function loadSdkExchanges(config: AppConfig): Promise<SdkExchanges> {
  const { openaiHttpClient, bedrockHttpClient } = config.providerDefaults;
  const [openai, bedrock] = await Promise.all([
    config.openai?.httpClient === "sdk" || openaiHttpClient === "sdk"
      ? import("./providers/openai/openai-sdk-exchange.js")
      : undefined,
    config.bedrock?.httpClient === "sdk" || bedrockHttpClient === "sdk"
      ? import("./providers/bedrock/aws/bedrock-sdk-exchange.js")
      : undefined,
  ]);
  return { openai: openai?.createOpenAISdkExchange, bedrock: bedrock?.createBedrockSdkExchange };
}
