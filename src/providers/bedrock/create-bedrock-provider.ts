import type { BedrockConfig } from "../../config/load-config.js";
import type { ProviderName } from "../../core/model-router.js";
import type { RetryPolicy } from "../upstream/retry-policy.js";
import { bedrockAuthorizer } from "./aws/authorize-bedrock-request.js";
import { BedrockClients } from "./aws/bedrock-clients.js";
import type { createBedrockSdkExchange } from "./aws/bedrock-sdk-exchange.js";
import { createBedrockUndiciExchange } from "./aws/bedrock-undici-exchange.js";
import type { BedrockExchange } from "./bedrock-exchange.js";
import { BedrockProvider } from "./bedrock-provider.js";
import { ImageFetcher } from "./images/image-fetcher.js";

/**
 * The exchange `BEDROCK_HTTP_CLIENT` names, over the configuration's clients
 * and credentials; `sdkExchange` is the SDK exchange's module, loaded only by
 * a server that uses it.
 */
export function createBedrockExchange(
  config: BedrockConfig,
  upstreamTimeoutMs: number,
  retry?: RetryPolicy,
  sdkExchange?: typeof createBedrockSdkExchange,
): BedrockExchange {
  const clients = new BedrockClients(config);
  if (config.httpClient === "sdk") {
    if (sdkExchange === undefined) throw new Error("BEDROCK_HTTP_CLIENT=sdk, but the SDK exchange was not loaded");
    return sdkExchange(clients, { timeoutMs: upstreamTimeoutMs, retry });
  }
  const authorizer = bedrockAuthorizer({
    region: config.region,
    credentials: clients.credentials,
    bearerToken: config.bearerToken,
  });
  return createBedrockUndiciExchange(
    { control: () => clients.control(), runtimeUrl: () => clients.runtimeUrl() },
    { timeoutMs: upstreamTimeoutMs, retry, authorizer },
  );
}

export interface BedrockProviderOptions {
  /** `bedrock`, or the models file's name for this account and region. */
  name?: ProviderName;
  retry?: RetryPolicy;
  sdkExchange?: typeof createBedrockSdkExchange | undefined;
}

/** The Bedrock provider of a configuration. */
export function createBedrockProvider(
  config: BedrockConfig,
  upstreamTimeoutMs: number,
  options: BedrockProviderOptions = {},
): BedrockProvider {
  return new BedrockProvider(
    createBedrockExchange(config, upstreamTimeoutMs, options.retry, options.sdkExchange),
    new ImageFetcher(config.imageFetch),
    {
      ...(config.guardrail ? { guardrail: config.guardrail } : {}),
      autoCache: config.autoCache === true,
    },
    options.name,
  );
}
