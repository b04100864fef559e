import { InvalidRequestError } from "../../core/errors.js";
import { JsonFields } from "./json-fields.js";

/** The bodies `POST /v1/chat/completions` accepts. */
export const REQUEST_FORMATS = ["openai", "bedrock_claude", "bedrock_titan"] as const;
export type RequestFormat = (typeof REQUEST_FORMATS)[number];

const ACCEPTED =
  "an OpenAI Chat Completions body (with 'model' and 'messages'), a Bedrock Claude body (with 'anthropic_version') or a Titan text body (with 'inputText')";

/**
 * Which format a request body is in, by the first rule that matches: a
 * body with `anthropic_version` is Bedrock Claude, one with `inputText` is
 * Titan text, one with `model` and `messages` is OpenAI. Anything else is
 * refused, naming the accepted formats (and the missing field when the body
 * is half an OpenAI body).
 */
export function detectRequestFormat(value: unknown): RequestFormat {
  const body = JsonFields.of(value, "");
  if (body.object.anthropic_version !== undefined) return "bedrock_claude";
  if (body.object.inputText !== undefined) return "bedrock_titan";
  const hasModel = body.has("model");
  const hasMessages = body.has("messages");
  if (hasModel && hasMessages) return "openai";
  const absent = hasModel ? "messages" : hasMessages ? "model" : undefined;
  throw new InvalidRequestError(
    absent === undefined
      ? `The request body is in no format this server accepts: send ${ACCEPTED}.`
      : `Missing required parameter: '${absent}'. The request body is in no format this server accepts: send ${ACCEPTED}.`,
    absent === undefined ? { code: "unknown_request_format" } : { param: absent, code: "missing_required_parameter" },
  );
}
