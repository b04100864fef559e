import { ListFoundationModelsCommand, ListInferenceProfilesCommand } from "@aws-sdk/client-bedrock";
import type { BedrockExchange, BedrockSdkClients, InferenceProfileInfo } from "./bedrock-exchange.js";
import { sdkFailure } from "./read-sdk-error.js";
import { UpstreamCall } from "./upstream-call.js";

const MAX_PROFILE_PAGES = 20;

export type ControlPlaneListings = Pick<BedrockExchange, "listFoundationModels" | "listInferenceProfiles">;

/**
 * The control-plane listings, on the SDK's `@aws-sdk/client-bedrock` for
 * every exchange: the model catalog caches them, so they are off the hot path.
 */
export function controlPlaneListings(
  clients: Pick<BedrockSdkClients, "control">,
  options: { timeoutMs: number },
): ControlPlaneListings {
  const begin = (signal: AbortSignal) => new UpstreamCall(signal, options.timeoutMs, (error) => sdkFailure(error));
  return {
    async listFoundationModels(signal) {
      const call = begin(signal);
      try {
        const answer = await clients
          .control()
          .send(new ListFoundationModelsCommand({ byOutputModality: "TEXT" }), { abortSignal: call.signal });
        call.complete();
        return (answer.modelSummaries ?? []).map((model) => ({
          modelId: model.modelId ?? "",
          providerName: model.providerName ?? "",
          outputModalities: model.outputModalities ?? [],
          inferenceTypes: model.inferenceTypesSupported ?? [],
        }));
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },

    async listInferenceProfiles(signal) {
      const call = begin(signal);
      try {
        const profiles: InferenceProfileInfo[] = [];
        let nextToken: string | undefined;
        for (let page = 0; page < MAX_PROFILE_PAGES; page += 1) {
          const answer = await clients
            .control()
            .send(new ListInferenceProfilesCommand({ maxResults: 1000, nextToken }), { abortSignal: call.signal });
          for (const profile of answer.inferenceProfileSummaries ?? []) {
            profiles.push({
              id: profile.inferenceProfileId ?? "",
              arn: profile.inferenceProfileArn ?? "",
              type: profile.type ?? "",
              status: profile.status ?? "",
              createdAt: profile.createdAt,
            });
          }
          nextToken = answer.nextToken;
          if (!nextToken) break;
        }
        call.complete();
        return profiles;
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },
  };
}
