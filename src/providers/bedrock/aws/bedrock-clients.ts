import { BedrockClient } from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { getEndpointFromInstructions } from "@smithy/core/endpoints";
import type { BedrockConfig } from "../../../config/load-config.js";
import { type AwsCredentials, awsCredentials } from "./aws-credentials.js";

/** The SDK clients an exchange sends with: Bedrock Runtime, and the control plane that lists models. */
export interface BedrockSdkClients {
  runtime(): BedrockRuntimeClient;
  control(): BedrockClient;
}

/** What the runtime and control-plane clients share. */
function commonConfig(config: BedrockConfig, region: string, credentials: AwsCredentials) {
  return {
    region,
    credentials,
    // The SDK's own retries stay off: `run` and `relay` retry (UPSTREAM_RETRIES)
    // as for every exchange, and both would multiply the attempts.
    maxAttempts: 1,
    ...(config.bearerToken ? { token: { token: config.bearerToken }, authSchemePreference: ["httpBearerAuth"] } : {}),
  };
}

/**
 * Builds the Bedrock Runtime and control-plane clients of one configuration,
 * one per region, on first use, and reuses them: each holds its connections
 * and its credential cache for the life of the server.
 */
export class BedrockClients implements BedrockSdkClients {
  readonly #config: BedrockConfig;
  readonly #credentials: AwsCredentials;
  readonly #runtime = new Map<string, BedrockRuntimeClient>();
  readonly #control = new Map<string, BedrockClient>();
  readonly #runtimeUrls = new Map<string, Promise<URL>>();

  constructor(config: BedrockConfig) {
    this.#config = config;
    this.#credentials = awsCredentials(config);
  }

  /** The credentials every client and signer of this configuration shares (with one cache). */
  get credentials(): AwsCredentials {
    return this.#credentials;
  }

  /**
   * Where Bedrock Runtime answers in a region, chosen by the runtime
   * client's own endpoint rules (the configured endpoint, the SDKs'
   * `AWS_ENDPOINT_URL*` variables and config files, FIPS and dual-stack
   * settings, the region's partition). Asked once per region.
   */
  runtimeUrl(region: string = this.#config.region): Promise<URL> {
    let url = this.#runtimeUrls.get(region);
    if (!url) {
      url = getEndpointFromInstructions({}, InvokeModelCommand, this.runtime(region).config).then(
        (endpoint) => endpoint.url,
      );
      // A failure (say, a region the rules refuse) is not kept: the next call asks again.
      url.catch(() => this.#runtimeUrls.delete(region));
      this.#runtimeUrls.set(region, url);
    }
    return url;
  }

  runtime(region: string = this.#config.region): BedrockRuntimeClient {
    return this.#client(
      this.#runtime,
      region,
      this.#config.runtimeEndpoint,
      (config) => new BedrockRuntimeClient(config),
    );
  }

  control(region: string = this.#config.region): BedrockClient {
    return this.#client(this.#control, region, this.#config.controlEndpoint, (config) => new BedrockClient(config));
  }

  #client<Client>(
    clients: Map<string, Client>,
    region: string,
    endpoint: string | undefined,
    build: (config: ReturnType<typeof commonConfig> & { endpoint?: string }) => Client,
  ): Client {
    let client = clients.get(region);
    if (!client) {
      client = build({ ...commonConfig(this.#config, region, this.#credentials), ...(endpoint ? { endpoint } : {}) });
      clients.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [...this.#runtime.values(), ...this.#control.values()]) client.destroy();
    this.#runtime.clear();
    this.#control.clear();
  }
}
