import type { BedrockConfig } from "../../config/load-config.js";
import { BedrockClients } from "./bedrock-clients.js";
import { createSdkExchange } from "./bedrock-exchange.js";
import { BedrockProvider } from "./bedrock-provider.js";
import { ImageFetcher } from "./images/image-fetcher.js";

/** The Bedrock provider of a configuration, on the AWS SDK. */
export function createBedrockProvider(config: BedrockConfig, upstreamTimeoutMs: number): BedrockProvider {
  const exchange = createSdkExchange(new BedrockClients(config), { timeoutMs: upstreamTimeoutMs });
  return new BedrockProvider(exchange, new ImageFetcher(config.imageFetch));
}
