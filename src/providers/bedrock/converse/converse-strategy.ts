import type { ConverseRequest, ConverseStreamEvent } from "../../../wire/bedrock-converse.js";
import type { FamilyCalls } from "../family-strategy.js";
import type { ImageFetcher } from "../images/image-fetcher.js";
import { conversationBody } from "../prepare-conversation.js";
import { ConverseStreamMapper } from "./converse-stream-mapper.js";
import { fromConverseResponse, readConverseResponse } from "./from-converse-response.js";
import { toConverseRequest } from "./to-converse-request.js";

const FAMILY = "Bedrock models";

/** Every model that is neither Claude nor Titan text: Converse / ConverseStream. */
export function converseFamily(images: ImageFetcher): FamilyCalls<ConverseRequest, ConverseStreamEvent> {
  return {
    body: conversationBody(FAMILY, images, toConverseRequest),
    complete: async (exchange, modelId, body, signal) =>
      fromConverseResponse(readConverseResponse(await exchange.converse(modelId, body, signal))),
    stream: (exchange, modelId, body, signal) => exchange.converseStream(modelId, body, signal),
    mapper: () => new ConverseStreamMapper(),
  };
}
