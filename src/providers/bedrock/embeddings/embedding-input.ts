import type { CreateEmbeddingsRequest } from "../../../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError } from "../../../core/errors.js";
import { type BedrockImage, formatOfMediaType, IMAGE_MEDIA_TYPES, sniffImageFormat } from "../images/image-format.js";
import { parseDataUrl } from "../images/parse-data-url.js";

/** One input of an embeddings request, as the Bedrock families read it: a text, or an image. */
export type EmbeddingInput =
  | { kind: "text"; text: string }
  | {
      kind: "image";
      image: BedrockImage;
      /** The image as a `data:` URI of its real media type, the form Cohere takes. */
      dataUri: string;
    };

/** An input that begins like this is an image, never text: prose does not start with a base64 image data URL. */
const IMAGE_DATA_URL = /^\s*data:image\/[^;,]*(?:;[^;,]*)*;base64,/i;

function invalidInput(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { param, code: "invalid_value" });
}

function readImage(text: string, param: string): EmbeddingInput {
  const parsed = parseDataUrl(text);
  const format = parsed && (sniffImageFormat(parsed.bytes) ?? formatOfMediaType(parsed.mediaType));
  if (!parsed || !format) {
    throw invalidInput(param, `Invalid '${param}': a data URL input must be a base64 png, jpeg, gif or webp image.`);
  }
  const base64 = parsed.bytes.toString("base64");
  return { kind: "image", image: { format, base64 }, dataUri: `data:${IMAGE_MEDIA_TYPES[format]};base64,${base64}` };
}

/**
 * The request's inputs for a Bedrock embedding model: texts, and for a model
 * that takes images, the inputs that are `data:image/...;base64,` URLs as
 * those images. Token ids are refused: Bedrock's models take text.
 */
export function readEmbeddingInputs(
  request: CreateEmbeddingsRequest,
  modelId: string,
  takesImages: boolean,
): EmbeddingInput[] {
  if (request.inputTokens.length > 0) {
    throw invalidInput(
      "input",
      `The model '${modelId}' takes text, not token ids: send the inputs as strings (only OpenAI models take token arrays).`,
    );
  }
  return request.input.map((text, index) => {
    if (!IMAGE_DATA_URL.test(text)) return { kind: "text", text };
    const param = `input.[${index}]`;
    if (!takesImages) {
      throw invalidInput(
        param,
        `The model '${modelId}' embeds text only; '${param}' is an image. Images need a multimodal model: amazon.titan-embed-image-v1, cohere.embed-v4:0 or amazon.nova-2-multimodal-embeddings-v1:0.`,
      );
    }
    return readImage(text, param);
  });
}

/** The text of an input of a family that takes no images (they were refused while reading). */
export function textOf(input: EmbeddingInput): string {
  if (input.kind !== "text") throw new Error("an image reached a text-only embedding model");
  return input.text;
}
