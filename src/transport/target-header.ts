import type { NodeResponse } from "./http/node-http.js";

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

/**
 * Names each target tried in the response's header, as long as the head is
 * not written: for a stream, until its first chunk is in hand.
 */
export function targetHeaderOn(response: NodeResponse): (target: string) => void {
  return (target) => {
    if (response.headersSent) return;
    const value = targetHeaderValue(target);
    if (value === undefined) response.removeHeader(TARGET_HEADER);
    else response.setHeader(TARGET_HEADER, value);
  };
}
