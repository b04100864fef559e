import { canceled, InvalidRequestError } from "../../../core/errors.js";
import { ImageFetchError, type ImageFetcher } from "./image-fetcher.js";
import { type BedrockImage, formatOfMediaType, sniffImageFormat } from "./image-format.js";
import { parseDataUrl } from "./parse-data-url.js";

const SUPPORTED = "PNG, JPEG, GIF or WebP";

function invalidImage(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { param, code: "invalid_image" });
}

function fromBytes(bytes: Buffer, param: string, source: string): BedrockImage {
  const format = sniffImageFormat(bytes);
  if (!format) throw invalidImage(param, `The image at '${param}' (${source}) is not a ${SUPPORTED} image.`);
  return { format, base64: bytes.toString("base64") };
}

/**
 * The bytes of an image part, which is what Bedrock takes: decoded from a
 * `data:` URL or fetched from an http(s) URL under the fetch policy.
 * `param` names the part in errors (`messages.[0].content.[1].image_url.url`).
 */
export async function loadImage(
  url: string,
  param: string,
  fetcher: ImageFetcher,
  signal: AbortSignal,
): Promise<BedrockImage> {
  if (/^data:/i.test(url)) {
    const data = parseDataUrl(url);
    if (!data) throw invalidImage(param, `Invalid '${param}': expected a base64 data URL (data:image/png;base64,...).`);
    if (!formatOfMediaType(data.mediaType)) {
      throw invalidImage(param, `Invalid '${param}': '${data.mediaType}' is not a ${SUPPORTED} image type.`);
    }
    return fromBytes(data.bytes, param, "data URL");
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidImage(param, `Invalid '${param}': expected an http(s) URL or a base64 data URL.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw invalidImage(param, `Invalid '${param}': ${parsed.protocol} URLs are not supported; use http(s) or data:.`);
  }
  try {
    const fetched = await fetcher.fetch(parsed, signal);
    return fromBytes(fetched.bytes, param, `fetched from ${parsed.host}`);
  } catch (error) {
    if (signal.aborted) throw canceled(error);
    if (error instanceof ImageFetchError) {
      throw new InvalidRequestError(`Could not fetch the image at '${param}' from ${parsed.host}: ${error.message}.`, {
        param,
        code: "invalid_image_url",
      });
    }
    throw error;
  }
}
