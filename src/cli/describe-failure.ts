import { Code, ConnectError } from "@connectrpc/connect";
import { CliError } from "./cli-error.js";

/** Failures of the connection itself, as Node reports them. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"]);

/** The first system error code (ECONNREFUSED, ...) along an error's chain of causes, when it means the server is out of reach. */
export function unreachableCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return UNREACHABLE.has(code) ? code : undefined;
    current = current.cause;
  }
  return undefined;
}

/** The innermost cause's message: what actually went wrong on the way out. */
export function rootMessage(error: Error): string {
  let current: Error = error;
  for (let depth = 0; current.cause instanceof Error && depth < 8; depth += 1) current = current.cause;
  return current.message;
}

/** `NotFound` -> `NOT_FOUND`, the names gRPC documentation uses. */
function grpcCodeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/(?<=[a-z])(?=[A-Z])/g, "_").toUpperCase();
}

/**
 * One readable line for any failure: what was already explained, what kept
 * a request from reaching the server, a gRPC status, or the error's message.
 * Kept apart from the OpenAI SDK's errors (describe-error.ts), so that
 * commands that never load the SDK (`serve`, `config`) do not load it here.
 */
export function describeFailure(error: unknown, serverUrl?: string): string {
  // Already explained, with what was known where it happened.
  if (error instanceof CliError) return oneLine(error.message);
  const code = unreachableCode(error);
  if (code) {
    const where = serverUrl ? ` at ${serverUrl}` : "";
    const hint = code === "ECONNREFUSED" ? " Is `open-bedrock serve` running?" : "";
    return oneLine(`Cannot reach the server${where} (${code}).${hint}`);
  }
  if (error instanceof ConnectError) return oneLine(`${error.rawMessage} (gRPC ${grpcCodeName(error.code)})`);
  if (error instanceof Error) return oneLine(error.message);
  return oneLine(String(error));
}

/** Messages from elsewhere may span lines; the CLI prints one. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
