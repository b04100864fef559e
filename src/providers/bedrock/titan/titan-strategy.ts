import type { ChatCompletionRequest } from "../../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderCall } from "../../../core/provider.js";
import type { TitanTextRequest } from "../../../wire/titan-text.js";
import type { BedrockSettings } from "../bedrock-controls.js";
import type { ImageAt } from "../bedrock-conversation.js";
import { invokeOptionsOf, readBedrockRequest } from "../bedrock-request.js";
import { TITAN_FAMILY } from "../family-name.js";
import { type FamilyCall, type FamilyCalls, familyCall } from "../family-strategy.js";
import { fromTitanResponse, readTitanResponse } from "./from-titan-response.js";
import { refuseTitanUnsupported } from "./titan-limits.js";
import { TitanStreamMapper } from "./titan-stream-mapper.js";
import { toTitanRequest } from "./to-titan-request.js";

const noImages: ImageAt = () => {
  throw new Error("Titan requests carry no images");
};

/** Titan text: its own body on InvokeModel / InvokeModelWithResponseStream. */
export function titanFamily(settings: BedrockSettings) {
  return {
    prepare(request: ChatCompletionRequest, call: Pick<ProviderCall, "modelId">): FamilyCall<TitanTextRequest> {
      refuseTitanUnsupported(request);
      const prepared = readBedrockRequest(request, call.modelId, TITAN_FAMILY, settings)(noImages);
      return familyCall(prepared, toTitanRequest(request, prepared.conversation), invokeOptionsOf(prepared));
    },
    complete: async (exchange, modelId, { body, options }, signal) =>
      fromTitanResponse(readTitanResponse(await exchange.invoke(modelId, body, signal, options))),
    stream: (exchange, modelId, { body, options }, signal) => exchange.invokeStream(modelId, body, signal, options),
    mapper: () => new TitanStreamMapper(),
  } satisfies FamilyCalls<TitanTextRequest, unknown>;
}
