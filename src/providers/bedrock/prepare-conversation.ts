import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { type BedrockConversation, toBedrockConversation } from "./bedrock-conversation.js";
import type { ImageFetcher } from "./images/image-fetcher.js";
import { loadConversationImages } from "./load-conversation-images.js";

/** The request's messages as a Bedrock conversation, with every image loaded. */
export async function prepareConversation(
  request: ChatCompletionRequest,
  fetcher: ImageFetcher,
  signal: AbortSignal,
): Promise<BedrockConversation> {
  const imageAt = await loadConversationImages(request.messages, fetcher, signal);
  return toBedrockConversation(request.messages, imageAt);
}
