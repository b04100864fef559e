import { loadRestJsonErrorCode } from "@smithy/core/protocols";
import type { BedrockFailure } from "./map-bedrock-error.js";
import { messageOf } from "./read-sdk-error.js";

type ResponseHeaders = Record<string, string | string[] | undefined>;
type ErrorResponse = Parameters<typeof loadRestJsonErrorCode>[0];

const MAX_TEXT = 500;
const decoder = new TextDecoder();

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * Reads a Bedrock Runtime error answer the way the SDK's rest-json protocol
 * does: the error's name from `x-amzn-errortype`, else the body's `code`,
 * else its `__type`, without namespace or suffix; the message from the body's
 * `message` or `Message`; and, when present, the model's own status and
 * message. A body that is not JSON (a proxy's page) gives its text as the
 * message.
 */
export function readErrorAnswer(
  status: number,
  headers: ResponseHeaders,
  body: Uint8Array,
  modelId: string,
): BedrockFailure {
  const raw = decoder.decode(body);
  let data: Record<string, unknown> = {};
  let json = true;
  if (raw.trim() !== "") {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
        data = parsed as Record<string, unknown>;
      }
    } catch {
      json = false;
    }
  }
  const flatHeaders = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : (value ?? "")]),
  );
  const name = loadRestJsonErrorCode({ headers: flatHeaders } as ErrorResponse, data) ?? "Unknown";
  const message = json ? (text(data.message) ?? text(data.Message) ?? "UnknownError") : raw.trim().slice(0, MAX_TEXT);
  return {
    name,
    message: messageOf(message),
    status,
    ...(typeof data.originalStatusCode === "number" ? { originalStatusCode: data.originalStatusCode } : {}),
    ...(typeof data.originalMessage === "string" ? { originalMessage: data.originalMessage } : {}),
    modelId,
  };
}
