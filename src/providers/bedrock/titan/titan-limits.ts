import type { ChatCompletionRequest } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../../core/errors.js";
import { TITAN_FAMILY } from "../family-name.js";
import { refuseUnsupported, type Unsupported } from "../refuse-unsupported.js";

const TITAN_UNSUPPORTED: Unsupported[] = [
  { param: "tools", asked: (r) => r.tools.length > 0, why: "they cannot call tools" },
  { param: "top_k", asked: (r) => r.topK !== undefined, why: "they have no top_k" },
];

function refused(param: string, why: string): InvalidRequestError {
  return new InvalidRequestError(`'${param}' is not supported for ${TITAN_FAMILY}: ${why}.`, {
    param,
    code: "unsupported_parameter",
  });
}

/** Refuses what Titan text cannot do that other Bedrock models can: tools, tool turns in the history, images, top_k. */
export function refuseTitanUnsupported(request: ChatCompletionRequest): void {
  refuseUnsupported(request, TITAN_FAMILY, TITAN_UNSUPPORTED);
  request.messages.forEach((message, index) => {
    if (message.role === "tool") throw refused(`messages.[${index}]`, "they cannot take tool results");
    if (message.toolCalls.length > 0) throw refused(`messages.[${index}].tool_calls`, "they cannot call tools");
    const image = message.contentParts.findIndex((part) => part.type === "image_url" || part.type === "file");
    if (image !== -1) throw refused(`messages.[${index}].content.[${image}]`, "they take text only");
  });
}
