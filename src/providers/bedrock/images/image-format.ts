/** The image formats every Bedrock chat model takes. */
export const IMAGE_FORMATS = ["png", "jpeg", "gif", "webp"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const IMAGE_MEDIA_TYPES: Record<ImageFormat, `image/${ImageFormat}`> = {
  png: "image/png",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

/** An image ready for a Bedrock body: its format and its bytes in base64. */
export interface BedrockImage {
  format: ImageFormat;
  base64: string;
}

/** The format named by a media type (`image/jpg` is a common alias of `image/jpeg`). */
export function formatOfMediaType(mediaType: string): ImageFormat | undefined {
  const subtype = mediaType
    .trim()
    .toLowerCase()
    .replace(/^image\//, "");
  const normalized = subtype === "jpg" || subtype === "pjpeg" ? "jpeg" : subtype;
  return (IMAGE_FORMATS as readonly string[]).includes(normalized) ? (normalized as ImageFormat) : undefined;
}

/**
 * The format the bytes really are, from their signature. Claude refuses an
 * image whose declared media type differs from its bytes, so the bytes decide.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0x89 && ascii(1, 4) === "PNG") return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return "gif";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  return undefined;
}
