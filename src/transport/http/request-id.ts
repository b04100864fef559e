import { randomHex } from "../../core/pooled-random.js";
import type { NodeRequest, NodeResponse } from "./node-http.js";

const CALLER_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives every request an id: the caller's `x-request-id` when it is a sane
 * token, else a new one. It goes back as `x-request-id` (the OpenAI SDKs
 * expose it as `requestID`) and into every log line about the request.
 */
export function assignRequestId(request: NodeRequest, response: NodeResponse): string {
  const given = request.headers["x-request-id"];
  const id = typeof given === "string" && CALLER_ID.test(given) ? given : `req_${randomHex(12)}`;
  // Handlers further in (Connect's and the HTTP API's) read it from the request.
  request.headers["x-request-id"] = id;
  response.setHeader("x-request-id", id);
  return id;
}

export function requestIdOf(request: NodeRequest): string | undefined {
  const id = request.headers["x-request-id"];
  return typeof id === "string" ? id : undefined;
}
