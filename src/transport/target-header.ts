/**
 * The response header, and gRPC response metadata, that names the target
 * that served a call (or failed it last): `<provider>/<model id>`.
 */
export const TARGET_HEADER = "x-open-bedrock-target";

/** Longer names (a caller's made-up model) are not sent: clients limit their headers' size. */
const MAX_HEADER_VALUE = 512;

function percentEncoded(char: string): string {
  return Array.from(Buffer.from(char, "utf8"), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(
    "",
  );
}

/**
 * A target's name as a header value: model ids come from callers, so
 * anything but visible ASCII is percent-encoded; undefined when too long.
 */
export function targetHeaderValue(target: string): string | undefined {
  const value = target.replace(/[^\x21-\x7e]/gu, percentEncoded);
  return value.length <= MAX_HEADER_VALUE ? value : undefined;
}
