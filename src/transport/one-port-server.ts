import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { Logger } from "../core/logger.js";
import type { NodeHandler } from "./http/node-http.js";

/** What every HTTP/2 connection starts with (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
const TLS_HANDSHAKE = 0x16;

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** How long clients may take, and how much one connection may do at once. */
export interface ConnectionLimits {
  /** For a connection's first bytes (which say its protocol), and an HTTP/1.1 request's headers. */
  headersTimeoutMs: number;
  /** For a whole request, headers and body; the answer's time is not counted. */
  requestTimeoutMs: number;
  /** How long an idle HTTP/1.1 connection stays open. */
  keepAliveTimeoutMs: number;
  /** How long an HTTP/2 connection with no request running stays open. */
  http2IdleTimeoutMs: number;
  /** Most requests (streams) one HTTP/2 connection may run at once. */
  http2MaxConcurrentStreams: number;
}

export interface OnePortServerOptions {
  handler: NodeHandler;
  tls?: TlsFiles;
  logger: Logger;
  limits: ConnectionLimits;
}

/** The HTTP/1.1 timeouts, as Node's servers take them. */
function http1Timeouts(limits: ConnectionLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node looks for requests past their time (30 s by default, too coarse for short limits).
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

type Protocol = "h1" | "h2c" | "tls";

/** With allowHTTP1, Node's TLS server also serves HTTP/1.1, and has this method of http.Server (not in its types). */
type SecureServer = http2.Http2SecureServer & Pick<http.Server, "closeIdleConnections">;

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
  readonly #secure: SecureServer | undefined;
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<http2.Http2Session>();
  readonly #logger: Logger;
  readonly #limits: ConnectionLimits;

  constructor(options: OnePortServerOptions) {
    this.#logger = options.logger;
    this.#limits = options.limits;
    const timeouts = http1Timeouts(options.limits);
    const settings = { maxConcurrentStreams: options.limits.http2MaxConcurrentStreams };
    this.#http1 = http.createServer(timeouts, options.handler);
    // The http server starts tracking connections (closeIdleConnections,
    // header and request timeouts) only on `listening`; it never listens here.
    this.#http1.emit("listening");
    this.#http2 = http2.createServer({ settings }, options.handler);
    this.#trackSessions(this.#http2);
    if (options.tls) {
      const secure: SecureServer = http2.createSecureServer(
        { cert: options.tls.cert, key: options.tls.key, allowHTTP1: true, settings },
        options.handler,
      ) as SecureServer;
      // Its HTTP/1.1 side takes the timeouts only as properties, and tracks connections from `listening` too.
      Object.assign(secure, timeouts);
      secure.emit("listening");
      this.#trackSessions(secure);
      secure.on("tlsClientError", (error) => this.#logger.debug({ err: error }, "TLS handshake failed"));
      this.#secure = secure;
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
    const closeIdle = () => {
      this.#http1.closeIdleConnections();
      this.#secure?.closeIdleConnections();
    };
    closeIdle();
    // Keep-alive connections become idle once their response is done.
    const sweep = setInterval(closeIdle, 100);
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
      this.#limitSession(session);
    });
  }

  /**
   * HTTP/2's answers to slow clients: a connection with no request running
   * for the idle time is closed with GOAWAY (one running a long stream is
   * not idle, however quiet), and a request whose body has not ended
   * within the request time is cancelled.
   */
  #limitSession(session: http2.Http2Session): void {
    const { http2IdleTimeoutMs, requestTimeoutMs } = this.#limits;
    let running = 0;
    // Node re-arms the timer on the connection's next frame; `on`, as the callback of setTimeout would fire once.
    session.setTimeout(http2IdleTimeoutMs);
    session.on("timeout", () => {
      if (running === 0) session.close();
    });
    session.on("stream", (stream: http2.ServerHttp2Stream) => {
      running += 1;
      const late = setTimeout(() => {
        if (!stream.endAfterHeaders && !stream.readableEnded) stream.close(http2.constants.NGHTTP2_CANCEL);
      }, requestTimeoutMs);
      const ended = () => clearTimeout(late);
      stream.once("end", ended);
      stream.once("close", () => {
        ended();
        running -= 1;
      });
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
    }, this.#limits.headersTimeoutMs);
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
