import { InvalidRequestError, RequestTooLargeError } from "../../core/errors.js";
import type { NodeRequest } from "./node-http.js";

/** Reads the whole request body, refusing more than `limitBytes`. */
export async function readBody(request: NodeRequest, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limitBytes: number): RequestTooLargeError {
  return new RequestTooLargeError(
    `The request body is larger than ${limitBytes} bytes, the most this server takes (its MAX_BODY_BYTES).`,
  );
}

/**
 * How deep a JSON body may nest arrays and objects: far deeper than any real
 * request, yet shallow enough that nothing on the way (the converters, the
 * JSON written upstream) runs out of stack on it.
 */
export const MAX_JSON_NESTING = 100;

/** Whether JSON text nests arrays and objects deeper than `most`; one pass, without recursion. */
export function nestsDeeperThan(text: string, most: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      // A backslash escapes the next character; a quote ends the string.
      if (char === 0x5c) index += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > most) return true;
    } else if (char === 0x7d || char === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}

/** Reads and parses a JSON body; broken JSON, or JSON nested too deeply, is the caller's error. */
export async function readJsonBody(request: NodeRequest, limitBytes: number): Promise<unknown> {
  const body = await readBody(request, limitBytes);
  if (body.length === 0) {
    throw new InvalidRequestError("The request body is empty; send a JSON object.", { code: "invalid_json" });
  }
  const text = body.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError(`We could not parse the JSON body of your request: ${(error as Error).message}.`, {
      code: "invalid_json",
    });
  }
  if (nestsDeeperThan(text, MAX_JSON_NESTING)) {
    throw new InvalidRequestError(
      `The JSON body nests arrays and objects more than ${MAX_JSON_NESTING} levels deep, more than this server takes.`,
      { code: "json_too_deep" },
    );
  }
  return parsed;
}
