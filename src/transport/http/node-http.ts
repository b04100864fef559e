import type { connectNodeAdapter } from "@connectrpc/connect-node";

/** A request handler that serves both `http` and `http2` requests. */
export type NodeHandler = ReturnType<typeof connectNodeAdapter>;
export type NodeRequest = Parameters<NodeHandler>[0];
export type NodeResponse = Parameters<NodeHandler>[1];

/** The request's headers without HTTP/2 pseudo-headers. */
export function header(request: NodeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Path and query of the request (HTTP/2 requests carry them in `:path`). */
export function requestUrl(request: NodeRequest): URL {
  return new URL(request.url ?? "/", "http://localhost");
}

export function sendJson(
  response: NodeResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(payload)),
    ...headers,
  });
  response.end(payload);
}

/**
 * An AbortSignal that fires when the client goes away before the answer is
 * complete, so the upstream call can be aborted too.
 */
export function clientGoneSignal(response: NodeResponse, reason: () => unknown): AbortSignal {
  const controller = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) controller.abort(reason());
  });
  return controller.signal;
}
