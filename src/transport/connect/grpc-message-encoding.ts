import type { NodeRequest, NodeResponse } from "../http/node-http.js";

/**
 * gRPC's own percent-encoding of `grpc-message` (PROTOCOL-HTTP2.md): only
 * bytes outside printable ASCII, and `%`, are escaped. Connect writes the
 * message with encodeURIComponent, which also escapes `:`, `,`, `/` and the
 * like; grpc-js decodes with decodeURI, which leaves those escaped, so Node
 * callers read "Too many tokens%2C please wait". The spec's form reads right
 * with every decoder.
 */
export function encodeGrpcMessage(message: string): string {
  let encoded = "";
  for (const byte of Buffer.from(message, "utf8")) {
    encoded +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

function respec(value: string): string {
  try {
    return encodeGrpcMessage(decodeURIComponent(value));
  } catch {
    // Not Connect's encoding: leave it as it came.
    return value;
  }
}

type HeaderBag = Record<string, unknown>;

function withRespecMessage<T>(headers: T): T {
  if (headers === null || typeof headers !== "object" || Array.isArray(headers)) return headers;
  const message = (headers as HeaderBag)["grpc-message"];
  if (typeof message !== "string") return headers;
  return { ...headers, "grpc-message": respec(message) };
}

/**
 * For a gRPC (HTTP/2, not gRPC-Web) call, rewrites `grpc-message` where
 * Connect's adapter writes it: the headers of a trailers-only answer, or the
 * trailers. gRPC-Web carries its trailers in the body, read by clients that
 * decode them fully.
 */
export function encodeGrpcMessagesAsSpecified(request: NodeRequest, response: NodeResponse): void {
  const contentType = request.headers["content-type"];
  if (typeof contentType !== "string" || !/^application\/grpc(?![-\w])/.test(contentType)) return;
  // HTTP/1.1 and HTTP/2 responses type these two differently; both take plain header objects here.
  const writable = response as unknown as Record<"writeHead" | "addTrailers", (...args: unknown[]) => unknown>;
  const writeHead = writable.writeHead.bind(response);
  const addTrailers = writable.addTrailers.bind(response);
  writable.writeHead = (...args: unknown[]) => writeHead(...args.map(withRespecMessage));
  writable.addTrailers = (...args: unknown[]) => addTrailers(...args.map(withRespecMessage));
}
