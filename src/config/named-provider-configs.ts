import type { BedrockConfig, OpenAIConfig, ProviderDefaults } from "./load-config.js";
import type { ModelsFile, NamedBedrockProvider, NamedOpenAIProvider } from "./models-file.js";

/** A models file's OpenAI-compatible provider as the OpenAI provider's configuration. */
export function openAIConfigOf(named: NamedOpenAIProvider, defaults: ProviderDefaults): OpenAIConfig {
  return { apiKey: named.apiKey, baseURL: named.baseUrl, httpClient: defaults.openaiHttpClient };
}

function credentialSourceOf(named: NamedBedrockProvider): string {
  const base = named.accessKeyId
    ? "static AWS keys"
    : named.profile
      ? `AWS profile ${named.profile}`
      : "the default AWS chain";
  return named.roleArn ? `${base}, assuming ${named.roleArn}` : base;
}

/**
 * A models file's Bedrock provider as the Bedrock provider's configuration:
 * its own region, endpoints and credentials; how images are fetched, which
 * exchange is used, the guardrail and the prompt cache, as the environment
 * says for every Bedrock provider.
 */
export function bedrockConfigOf(named: NamedBedrockProvider, defaults: ProviderDefaults): BedrockConfig {
  const { accessKeyId, secretAccessKey, sessionToken } = named;
  return {
    region: named.region ?? defaults.awsRegion,
    httpClient: defaults.bedrockHttpClient,
    credentialSource: credentialSourceOf(named),
    imageFetch: defaults.imageFetch,
    ...defaults.bedrockControls,
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
    ...(named.profile ? { profile: named.profile } : {}),
    ...(named.roleArn ? { roleArn: named.roleArn } : {}),
    ...(named.externalId ? { externalId: named.externalId } : {}),
    ...(named.endpointUrl ? { runtimeEndpoint: named.endpointUrl } : {}),
    ...(named.controlEndpointUrl ? { controlEndpoint: named.controlEndpointUrl } : {}),
  };
}

/** The secrets a models file configures, to be removed from everything the server sends or logs. */
export function modelsFileSecrets(file: ModelsFile): string[] {
  return file.providers.flatMap((provider) =>
    provider.type === "openai" ? [provider.apiKey] : [provider.secretAccessKey ?? "", provider.sessionToken ?? ""],
  );
}
