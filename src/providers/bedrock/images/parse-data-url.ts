export interface DataUrl {
  mediaType: string;
  bytes: Buffer;
  /** The data as it came, without whitespace: the bytes in base64. */
  base64: string;
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*);base64,([\s\S]*)$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads a `data:<media type>;base64,<data>` URL; undefined when the text is
 * not one (wrong scheme, not base64, or invalid base64).
 */
export function parseDataUrl(url: string): DataUrl | undefined {
  const match = DATA_URL.exec(url.trim());
  if (!match) return undefined;
  const data = (match[3] ?? "").replace(/\s+/g, "");
  if (!BASE64.test(data) || data.length % 4 === 1) return undefined;
  return { mediaType: (match[1] ?? "").trim().toLowerCase(), bytes: Buffer.from(data, "base64"), base64: data };
}
