import {
  AuthenticationError,
  type GatewayError,
  type GatewayErrorOptions,
  InvalidRequestError,
  ModelNotFoundError,
  RateLimitError,
  UpstreamError,
} from "../../core/errors.js";
import { redactSecrets } from "../../core/redact-secrets.js";
import { fromUpstreamStatus, type UpstreamWording } from "../upstream/upstream-failures.js";

/** The upstream's name in messages. */
export const OPENAI = "OpenAI";

/** The parts of an OpenAI error answer the mapping reads. */
export interface OpenAIErrorAnswer {
  /** HTTP status; undefined for an error event inside a 200 stream. */
  status: number | undefined;
  /** The body's `error` object. */
  error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } | undefined;
  retryAfter?: string | null | undefined;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  // Otherwise only an HTTP date (RFC 9110: "Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone takes "-5" too.
  if (!/GMT\s*$/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * OpenAI's messages for the caller's own mistakes, a missing model and its
 * limits are already written for the caller, so they pass as they are. A
 * refused key says nothing more: OpenAI's message quotes part of it.
 */
const openAIWording: UpstreamWording = (Class, { message }) => {
  if (Class === InvalidRequestError || Class === ModelNotFoundError || Class === RateLimitError) return message;
  if (Class === AuthenticationError) return "OpenAI refused the server's OPENAI_API_KEY.";
  return undefined;
};

/** Maps an OpenAI error answer to the gateway's error of the same meaning. */
export function mapOpenAIErrorAnswer(answer: OpenAIErrorAnswer): GatewayError {
  const retryAfter = retryAfterSeconds(answer.retryAfter);
  const options: GatewayErrorOptions = {
    code: text(answer.error?.code),
    param: text(answer.error?.param),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  };
  const message = redactSecrets(text(answer.error?.message) ?? "no message");
  return fromUpstreamStatus(OPENAI, { status: answer.status, message, options }, openAIWording);
}

/** OpenAI answered something that is not JSON. */
export function answerNotJson(): UpstreamError {
  return new UpstreamError("OpenAI answered with something that is not JSON.");
}

/** An event of an OpenAI stream is not JSON. */
export function eventNotJson(): UpstreamError {
  return new UpstreamError("OpenAI sent a stream event that is not JSON.");
}
