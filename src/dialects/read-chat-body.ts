import type { IncomingRequest, RequestContext } from "./dialect.js";
import { DIALECTS } from "./dialects.js";
import { detectRequestFormat, type RequestFormat } from "./shared/detect-request-format.js";

/** Reads a chat request body in whichever accepted dialect it is written. */
export function readChatBody(body: unknown, context: RequestContext): IncomingRequest & { format: RequestFormat } {
  const format = detectRequestFormat(body);
  return { format, ...DIALECTS[format].readRequest(body, context) };
}
