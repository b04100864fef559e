import type { Message } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ImageAt } from "./bedrock-conversation.js";
import type { ImageFetcher } from "./images/image-fetcher.js";
import type { BedrockImage } from "./images/image-format.js";
import { loadImage } from "./images/load-image.js";

/**
 * Loads every image of the messages (all at once) and answers them by
 * position, for toBedrockConversation.
 */
export async function loadConversationImages(
  messages: Message[],
  fetcher: ImageFetcher,
  signal: AbortSignal,
): Promise<ImageAt> {
  const pending: Promise<readonly [string, BedrockImage]>[] = [];
  messages.forEach((message, messageIndex) => {
    message.contentParts.forEach((part, partIndex) => {
      if (part.type !== "image_url") return;
      const param = `messages.[${messageIndex}].content.[${partIndex}].image_url.url`;
      const key = `${messageIndex}.${partIndex}`;
      pending.push(loadImage(part.imageUrl?.url ?? "", param, fetcher, signal).then((image) => [key, image] as const));
    });
  });
  const images = new Map(await Promise.all(pending));
  return (messageIndex, partIndex) => {
    const image = images.get(`${messageIndex}.${partIndex}`);
    if (!image) throw new Error(`no image was loaded for messages.[${messageIndex}].content.[${partIndex}]`);
    return image;
  };
}
