import type { ChatCompletionRequest } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../../core/errors.js";
import { refuseUnsupported, UNSUPPORTED_ON_BEDROCK, type Unsupported } from "../refuse-unsupported.js";

export const TITAN_FAMILY = "Titan text models";

const TITAN_UNSUPPORTED: Unsupported[] = [
  ...UNSUPPORTED_ON_BEDROCK,
  { param: "tools", asked: (r) => r.tools.length > 0, why: "they cannot call tools" },
  { param: "top_k", asked: (r) => r.topK !== undefined, why: "they have no top_k" },
];

function refused(param: string, why: string): InvalidRequestError {
  return new InvalidRequestError(`'${param}' is not supported for ${TITAN_FAMILY}: ${why}.`, {
    param,
    code: "unsupported_parameter",
  });
}

/** Refuses what Titan text cannot do: tools, tool turns in the history, images, top_k, and what no Bedrock model does. */
export function refuseTitanUnsupported(request: ChatCompletionRequest): void {
  refuseUnsupported(request, TITAN_FAMILY, TITAN_UNSUPPORTED);
  request.messages.forEach((message, index) => {
    if (message.role === "tool") throw refused(`messages.[${index}]`, "they cannot take tool results");
    if (message.toolCalls.length > 0) throw refused(`messages.[${index}].tool_calls`, "they cannot call tools");
    const image = message.contentParts.findIndex((part) => part.type === "image_url");
    if (image !== -1) throw refused(`messages.[${index}].content.[${image}]`, "they take text only");
  });
}
