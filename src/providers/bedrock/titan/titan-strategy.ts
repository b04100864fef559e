import type { TitanTextRequest } from "../../../wire/titan-text.js";
import { toBedrockConversation } from "../bedrock-conversation.js";
import type { FamilyCalls } from "../family-strategy.js";
import { fromTitanResponse, readTitanResponse } from "./from-titan-response.js";
import { refuseTitanUnsupported } from "./titan-limits.js";
import { TitanStreamMapper } from "./titan-stream-mapper.js";
import { toTitanRequest } from "./to-titan-request.js";

function noImages(): never {
  throw new Error("Titan requests carry no images");
}

/** Titan text: its own body on InvokeModel / InvokeModelWithResponseStream. */
export const TITAN_FAMILY: FamilyCalls<TitanTextRequest, unknown> = {
  body(request) {
    refuseTitanUnsupported(request);
    return toTitanRequest(request, toBedrockConversation(request.messages, noImages));
  },
  complete: async (exchange, modelId, body, signal) =>
    fromTitanResponse(readTitanResponse(await exchange.invoke(modelId, body, signal))),
  stream: (exchange, modelId, body, signal) => exchange.invokeStream(modelId, body, signal),
  mapper: () => new TitanStreamMapper(),
};
