import type { BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from "@smithy/core";
import type { BedrockConfig } from "../../../config/load-config.js";

export type AwsCredentials = NonNullable<BedrockRuntimeClientConfig["credentials"]>;

export const ROLE_SESSION_NAME = "open-bedrock";

/** The chain's failure names AWS_PROFILE's profile, which the SDK's own message does not. */
function namingProfile<Provider extends (...args: never[]) => Promise<unknown>>(
  chain: Provider,
  profile: string | undefined,
): Provider {
  if (profile === undefined) return chain;
  return (async (...args: Parameters<Provider>) => {
    try {
      return await chain(...args);
    } catch (error) {
      if (error instanceof Error) {
        error.message = `the AWS profile '${profile}' (AWS_PROFILE) gave no credentials; is it defined in ~/.aws/config or ~/.aws/credentials? (${error.message})`;
      }
      throw error;
    }
  }) as Provider;
}

/**
 * The credentials Bedrock calls are signed with: static keys when the
 * configuration holds them, otherwise the standard AWS chain (environment,
 * SSO, shared files for AWS_PROFILE, web identity, container and instance
 * roles); then, with AWS_ROLE_ARN, temporary credentials for that role
 * obtained with the former. What a provider fetches is cached and refreshed
 * before it expires, as the SDK clients do it, once for every client and
 * signer of the configuration.
 */
export function awsCredentials(config: BedrockConfig): AwsCredentials {
  const base: AwsCredentials =
    config.credentials ??
    namingProfile(fromNodeProviderChain(config.profile ? { profile: config.profile } : {}), config.profile);
  const provider: AwsCredentials = config.roleArn
    ? fromTemporaryCredentials({
        masterCredentials: base,
        params: {
          RoleArn: config.roleArn,
          RoleSessionName: ROLE_SESSION_NAME,
          ...(config.externalId ? { ExternalId: config.externalId } : {}),
        },
        clientConfig: { region: config.region },
      })
    : base;
  if (typeof provider !== "function") return provider;
  return memoizeIdentityProvider(provider, isIdentityExpired, doesIdentityRequireRefresh) ?? provider;
}
