import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { Logger } from "../core/logger.js";
import type { NodeHandler } from "./http/node-http.js";

/** What every HTTP/2 connection starts with (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
const TLS_HANDSHAKE = 0x16;
const SNIFF_TIMEOUT_MS = 10_000;

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

export interface OnePortServerOptions {
  handler: NodeHandler;
  tls?: TlsFiles;
  logger: Logger;
}

type Protocol = "h1" | "h2c" | "tls";

/** Which server a connection belongs to, or undefined until more bytes come. */
export function sniffProtocol(firstBytes: Buffer): Protocol | undefined {
  if (firstBytes.length === 0) return undefined;
  if (firstBytes[0] === TLS_HANDSHAKE) return "tls";
  const compared = Math.min(firstBytes.length, HTTP2_PREFACE.length);
  if (!firstBytes.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared))) return "h1";
  return compared === HTTP2_PREFACE.length ? "h2c" : undefined;
}

/**
 * One TCP port for HTTP/1.1, cleartext HTTP/2 (prior knowledge, as gRPC
 * clients use it) and, with certificates, TLS with ALPN h2 and http/1.1.
 * Node's servers each speak one of these, so every connection is routed by
 * its first bytes to a server that never listens itself.
 */
export class OnePortServer {
  readonly #listener: net.Server;
  readonly #http1: http.Server;
  readonly #http2: http2.Http2Server;
  readonly #secure: http2.Http2SecureServer | undefined;
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<http2.Http2Session>();
  readonly #logger: Logger;

  constructor(options: OnePortServerOptions) {
    this.#logger = options.logger;
    this.#http1 = http.createServer(options.handler);
    // The http server starts tracking connections (closeIdleConnections,
    // header and request timeouts) only on `listening`; it never listens here.
    this.#http1.emit("listening");
    this.#http2 = http2.createServer(options.handler);
    this.#trackSessions(this.#http2);
    if (options.tls) {
      this.#secure = http2.createSecureServer(
        { cert: options.tls.cert, key: options.tls.key, allowHTTP1: true },
        options.handler,
      );
      this.#trackSessions(this.#secure);
      this.#secure.on("tlsClientError", (error) => this.#logger.debug({ err: error }, "TLS handshake failed"));
    }
    // Nagle's algorithm would hold back small SSE writes.
    this.#listener = net.createServer({ noDelay: true }, (socket) => this.#route(socket));
  }

  listen(port: number, host: string): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#listener.once("error", reject);
      this.#listener.listen(port, host, () => {
        this.#listener.off("error", reject);
        resolve(this.#listener.address() as net.AddressInfo);
      });
    });
  }

  get tls(): boolean {
    return this.#secure !== undefined;
  }

  /**
   * Stops accepting, lets running requests finish for up to `graceMs`, then
   * cuts whatever is left. `beforeForce` runs when the grace time is over.
   */
  async close(graceMs: number, beforeForce: () => void = () => {}): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#listener.close(() => resolve()));
    for (const session of this.#sessions) session.close();
    this.#http1.closeIdleConnections();
    // Keep-alive connections become idle once their response is done.
    const sweep = setInterval(() => this.#http1.closeIdleConnections(), 100);
    const force = setTimeout(() => {
      beforeForce();
      for (const session of this.#sessions) session.destroy();
      for (const socket of this.#sockets) socket.destroy();
    }, graceMs);
    try {
      await closed;
    } finally {
      clearInterval(sweep);
      clearTimeout(force);
    }
  }

  #trackSessions(server: http2.Http2Server | http2.Http2SecureServer): void {
    server.on("session", (session: http2.Http2Session) => {
      this.#sessions.add(session);
      session.once("close", () => this.#sessions.delete(session));
    });
  }

  #route(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
    const ignore = () => {};
    let seen = Buffer.alloc(0);
    const stop = () => {
      clearTimeout(timer);
      socket.off("readable", onReadable);
      socket.off("error", ignore);
    };
    const timer = setTimeout(() => {
      stop();
      socket.destroy();
    }, SNIFF_TIMEOUT_MS);
    const onReadable = () => {
      for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
        seen = Buffer.concat([seen, chunk]);
      }
      const protocol = sniffProtocol(seen);
      if (protocol === undefined) return;
      stop();
      // Reading kept the socket paused; the chosen server reads these bytes again.
      socket.unshift(seen);
      const server = protocol === "h1" ? this.#http1 : protocol === "h2c" ? this.#http2 : this.#secure;
      if (!server) {
        socket.destroy();
        return;
      }
      server.emit("connection", socket);
    };
    // Errors before a server owns the socket (a reset during sniffing) are not ours to report.
    socket.on("error", ignore);
    socket.on("readable", onReadable);
    socket.once("end", stop);
  }
}
