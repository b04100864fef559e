import type { GatewayError } from "../../core/errors.js";
import { redactSecrets } from "../../core/redact-secrets.js";

/**
 * An error's message for formats whose error body has no `param`: the field
 * at fault leads the message when the message does not name it already, as
 * Anthropic's own messages do (`messages.0.content: ...`).
 */
export function messageNamingParam(error: GatewayError): string {
  const message = redactSecrets(error.message);
  if (error.param === null || message.includes(error.param)) return message;
  return `${error.param}: ${message}`;
}
