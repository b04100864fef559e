import { Code, ConnectError } from "@connectrpc/connect";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { CliError } from "./cli-error.js";

/** Failures of the connection itself, as Node reports them. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"]);

/** The first system error code (ECONNREFUSED, ...) along an error's chain of causes. */
function systemCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

/** The innermost cause's message: what actually went wrong on the way out. */
function rootMessage(error: Error): string {
  let current: Error = error;
  for (let depth = 0; current.cause instanceof Error && depth < 8; depth += 1) current = current.cause;
  return current.message;
}

/** `NotFound` -> `NOT_FOUND`, the names gRPC documentation uses. */
function grpcCodeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/(?<=[a-z])(?=[A-Z])/g, "_").toUpperCase();
}

function openAIMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === "string" ? body.message : error.message;
  return error.status === undefined ? message : `${message} (HTTP ${error.status})`;
}

/**
 * One readable line for any failure of a command talking to the server:
 * the server's own message with its status, or what kept the request from
 * reaching it.
 */
export function describeError(error: unknown, serverUrl?: string): string {
  // Already explained, with what was known where it happened.
  if (error instanceof CliError) return oneLine(error.message);
  if (error instanceof APIConnectionTimeoutError) return "The server did not answer in time.";
  const code = systemCode(error);
  const where = serverUrl ? ` at ${serverUrl}` : "";
  if (code && UNREACHABLE.has(code) && !(error instanceof APIError && error.status !== undefined)) {
    const hint = code === "ECONNREFUSED" ? " Is `open-bedrock serve` running?" : "";
    return oneLine(`Cannot reach the server${where} (${code}).${hint}`);
  }
  // The request never got an answer, for a reason other than the usual ones (a refused port, TLS, ...).
  if (error instanceof APIConnectionError) return oneLine(`Cannot reach the server${where}: ${rootMessage(error)}`);
  if (error instanceof APIError) return oneLine(openAIMessage(error));
  if (error instanceof ConnectError) return oneLine(`${error.rawMessage} (gRPC ${grpcCodeName(error.code)})`);
  if (error instanceof Error) return oneLine(error.message);
  return oneLine(String(error));
}

/** Messages from elsewhere may span lines; the CLI prints one. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
