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

/** Reads and parses a JSON body; broken JSON is the caller's error. */
export async function readJsonBody(request: NodeRequest, limitBytes: number): Promise<unknown> {
  const body = await readBody(request, limitBytes);
  if (body.length === 0) {
    throw new InvalidRequestError("The request body is empty; send a JSON object.", { code: "invalid_json" });
  }
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new InvalidRequestError(`We could not parse the JSON body of your request: ${(error as Error).message}.`, {
      code: "invalid_json",
    });
  }
}
