import type { ConverseRequest, ConverseStreamEvent } from "../../../wire/bedrock-converse.js";
import type { BedrockSettings } from "../bedrock-controls.js";
import { type ImageLoader, prepareBedrockRequest } from "../bedrock-request.js";
import { CONVERSE_FAMILY } from "../family-name.js";
import { type FamilyCalls, familyCall } from "../family-strategy.js";
import { ConverseStreamMapper } from "./converse-stream-mapper.js";
import { fromConverseResponse, readConverseResponse } from "./from-converse-response.js";
import { toConverseRequest } from "./to-converse-request.js";

/** Every model that is neither Claude nor Titan text: Converse / ConverseStream, every control in the body. */
export function converseFamily(
  loadImages: ImageLoader,
  settings: BedrockSettings,
): FamilyCalls<ConverseRequest, ConverseStreamEvent> {
  return {
    async prepare(request, call) {
      const prepared = await prepareBedrockRequest(request, call, CONVERSE_FAMILY, settings, loadImages);
      return familyCall(prepared, toConverseRequest(prepared));
    },
    complete: async (exchange, modelId, { body }, signal) =>
      fromConverseResponse(readConverseResponse(await exchange.converse(modelId, body, signal))),
    stream: (exchange, modelId, { body }, signal) => exchange.converseStream(modelId, body, signal),
    mapper: () => new ConverseStreamMapper(),
  };
}
