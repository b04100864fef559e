import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderCall } from "../../core/provider.js";
import { type BedrockConversation, toBedrockConversation } from "./bedrock-conversation.js";
import type { ImageFetcher } from "./images/image-fetcher.js";
import { loadConversationImages } from "./load-conversation-images.js";
import { refuseUnsupported, UNSUPPORTED_ON_BEDROCK } from "./refuse-unsupported.js";

/** The request's messages as a Bedrock conversation, with every image loaded. */
export async function prepareConversation(
  request: ChatCompletionRequest,
  fetcher: ImageFetcher,
  signal: AbortSignal,
): Promise<BedrockConversation> {
  const imageAt = await loadConversationImages(request.messages, fetcher, signal);
  return toBedrockConversation(request.messages, imageAt);
}

/**
 * The body of a family that takes the conversation with its images: what no
 * Bedrock family can do is refused first, then the images are loaded and the
 * family writes its body.
 */
export function conversationBody<Body>(
  family: string,
  images: ImageFetcher,
  write: (request: ChatCompletionRequest, conversation: BedrockConversation) => Body,
): (request: ChatCompletionRequest, call: ProviderCall) => Promise<Body> {
  return async (request, call) => {
    refuseUnsupported(request, family, UNSUPPORTED_ON_BEDROCK);
    return write(request, await prepareConversation(request, images, call.signal));
  };
}
