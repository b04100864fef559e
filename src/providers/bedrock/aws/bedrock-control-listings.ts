import { run } from "../../upstream/run-upstream-call.js";
import type { BedrockExchange, InferenceProfileInfo } from "../bedrock-exchange.js";
import { type BedrockExchangeOptions, bedrockCall } from "./bedrock-call.js";
import { type BedrockSdkClients, loadControlSdk } from "./bedrock-clients.js";
import { readBedrockSdkFailure } from "./read-sdk-error.js";

const MAX_PROFILE_PAGES = 20;

export type ControlPlaneListings = Pick<BedrockExchange, "listFoundationModels" | "listInferenceProfiles">;

/**
 * The control-plane listings, on the SDK's `@aws-sdk/client-bedrock` for
 * every exchange: the model catalog caches them, so they are off the hot path.
 */
export function controlPlaneListings(
  clients: Pick<BedrockSdkClients, "control">,
  options: BedrockExchangeOptions,
): ControlPlaneListings {
  const call = (signal: AbortSignal) => bedrockCall(options, signal, (error) => readBedrockSdkFailure(error));
  return {
    listFoundationModels: (signal) =>
      run(call(signal), async (attempt) => {
        // Every model, not one output modality: chat models put out text, embedding models vectors.
        const [client, { ListFoundationModelsCommand }] = await Promise.all([clients.control(), loadControlSdk()]);
        const answer = await client.send(new ListFoundationModelsCommand({}), { abortSignal: attempt });
        return (answer.modelSummaries ?? []).map((model) => ({
          modelId: model.modelId ?? "",
          providerName: model.providerName ?? "",
          outputModalities: model.outputModalities ?? [],
          inferenceTypes: model.inferenceTypesSupported ?? [],
        }));
      }),

    listInferenceProfiles: (signal) =>
      run(call(signal), async (attempt) => {
        const [client, { ListInferenceProfilesCommand }] = await Promise.all([clients.control(), loadControlSdk()]);
        const profiles: InferenceProfileInfo[] = [];
        let nextToken: string | undefined;
        for (let page = 0; page < MAX_PROFILE_PAGES; page += 1) {
          const answer = await client.send(new ListInferenceProfilesCommand({ maxResults: 1000, nextToken }), {
            abortSignal: attempt,
          });
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
        return profiles;
      }),
  };
}
