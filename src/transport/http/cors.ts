import { cors as connectCors } from "@connectrpc/connect";
import { TARGET_HEADER } from "../target-header.js";
import type { NodeRequest, NodeResponse } from "./node-http.js";

const ALLOWED_METHODS = [...new Set([...connectCors.allowedMethods, "GET", "POST", "OPTIONS"])].join(", ");
const EXPOSED_HEADERS = [
  ...connectCors.exposedHeaders,
  "Grpc-Status-Details-Bin",
  "X-Request-Id",
  "Retry-After",
  TARGET_HEADER,
].join(", ");
const BASE_ALLOWED_HEADERS = [...connectCors.allowedHeaders, "Authorization", "X-Request-Id"];

/**
 * CORS for browsers (gRPC-Web and Connect clients, or the OpenAI API from a
 * web page) on the origins the operator lists; `*` allows any. Answers
 * preflight requests itself, before authentication, as browsers send them
 * without credentials.
 */
export function createCors(allowedOrigins: readonly string[]) {
  const anyOrigin = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins);
  /** Adds the CORS headers; answers true when the request was a preflight and is done. */
  return (request: NodeRequest, response: NodeResponse): boolean => {
    const origin = request.headers.origin;
    if (typeof origin !== "string" || !(anyOrigin || allowed.has(origin))) return false;
    response.setHeader("access-control-allow-origin", anyOrigin ? "*" : origin);
    response.setHeader("vary", "Origin");
    response.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    const preflight = request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined;
    if (!preflight) return false;
    const asked = request.headers["access-control-request-headers"];
    // Browsers ask for every header the page sets (the OpenAI SDK adds its own x-stainless-* ones).
    const headers = typeof asked === "string" && asked !== "" ? asked : BASE_ALLOWED_HEADERS.join(", ");
    response.writeHead(204, {
      "access-control-allow-methods": ALLOWED_METHODS,
      "access-control-allow-headers": headers,
      "access-control-max-age": "7200",
    });
    response.end();
    return true;
  };
}
