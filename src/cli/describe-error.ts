import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { describeFailure, oneLine, rootMessage, unreachableCode } from "./describe-failure.js";

function openAIMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === "string" ? body.message : error.message;
  return error.status === undefined ? message : `${message} (HTTP ${error.status})`;
}

/**
 * One readable line for any failure of a command talking to the server
 * through the OpenAI SDK: the server's own message with its status, or what
 * kept the request from reaching it.
 */
export function describeError(error: unknown, serverUrl?: string): string {
  if (error instanceof APIConnectionTimeoutError) return "The server did not answer in time.";
  // An answer, even one whose cause chain mentions a reset, is the server's word.
  if (error instanceof APIError && error.status !== undefined) return oneLine(openAIMessage(error));
  if (unreachableCode(error) === undefined) {
    // The request never got an answer, for a reason other than the usual ones (a refused port, TLS, ...).
    if (error instanceof APIConnectionError) {
      return oneLine(`Cannot reach the server${serverUrl ? ` at ${serverUrl}` : ""}: ${rootMessage(error)}`);
    }
    if (error instanceof APIError) return oneLine(openAIMessage(error));
  }
  return describeFailure(error, serverUrl);
}
