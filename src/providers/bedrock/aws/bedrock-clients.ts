import type { BedrockClient } from "@aws-sdk/client-bedrock";
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { getEndpointFromInstructions } from "@smithy/core/endpoints";
import type { BedrockConfig } from "../../../config/load-config.js";
import { type AwsCredentials, awsCredentials } from "./aws-credentials.js";

// The SDK clients' packages are loaded on first use: a server that never
// lists Bedrock's models, or never calls Bedrock, does not hold them (they
// weigh 5 to 8 MiB of resident memory together).
let runtimeSdk: Promise<typeof import("@aws-sdk/client-bedrock-runtime")> | undefined;
let controlSdk: Promise<typeof import("@aws-sdk/client-bedrock")> | undefined;
const loadRuntimeSdk = () => (runtimeSdk ??= import("@aws-sdk/client-bedrock-runtime"));
export const loadControlSdk = () => (controlSdk ??= import("@aws-sdk/client-bedrock"));

/** The SDK clients an exchange sends with: Bedrock Runtime, and the control plane that lists models. */
export interface BedrockSdkClients {
  runtime(): Promise<BedrockRuntimeClient>;
  control(): Promise<BedrockClient>;
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

type ClientConfig = ReturnType<typeof commonConfig> & { endpoint?: string };

/**
 * Builds the Bedrock Runtime and control-plane clients of one configuration,
 * one per region, on first use, and reuses them: each holds its connections
 * and its credential cache for the life of the server.
 */
export class BedrockClients implements BedrockSdkClients {
  readonly #config: BedrockConfig;
  readonly #credentials: AwsCredentials;
  readonly #runtime = new Map<string, Promise<BedrockRuntimeClient>>();
  readonly #control = new Map<string, Promise<BedrockClient>>();
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
      url = Promise.all([this.runtime(region), loadRuntimeSdk()])
        .then(([client, { InvokeModelCommand }]) => getEndpointFromInstructions({}, InvokeModelCommand, client.config))
        .then((endpoint) => endpoint.url);
      // A failure (say, a region the rules refuse) is not kept: the next call asks again.
      url.catch(() => this.#runtimeUrls.delete(region));
      this.#runtimeUrls.set(region, url);
    }
    return url;
  }

  runtime(region: string = this.#config.region): Promise<BedrockRuntimeClient> {
    return this.#client(this.#runtime, region, this.#config.runtimeEndpoint, async (config) => {
      const { BedrockRuntimeClient } = await loadRuntimeSdk();
      return new BedrockRuntimeClient(config);
    });
  }

  control(region: string = this.#config.region): Promise<BedrockClient> {
    return this.#client(this.#control, region, this.#config.controlEndpoint, async (config) => {
      const { BedrockClient } = await loadControlSdk();
      return new BedrockClient(config);
    });
  }

  #client<Client>(
    clients: Map<string, Promise<Client>>,
    region: string,
    endpoint: string | undefined,
    build: (config: ClientConfig) => Promise<Client>,
  ): Promise<Client> {
    let client = clients.get(region);
    if (!client) {
      client = build({ ...commonConfig(this.#config, region, this.#credentials), ...(endpoint ? { endpoint } : {}) });
      clients.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [...this.#runtime.values(), ...this.#control.values()]) {
      client.then((built) => built.destroy()).catch(() => {});
    }
    this.#runtime.clear();
    this.#control.clear();
  }
}
