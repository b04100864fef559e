/**
 * What every fake upstream shares: a listener on 127.0.0.1 (an ephemeral
 * port unless told one) serving HTTP/1.1 and, when asked, cleartext HTTP/2
 * with prior knowledge on the same port, told apart by the first bytes (as
 * an AWS endpoint answers both through ALPN); the requests a fake recorded,
 * with promises that resolve when one arrives; and a close that ends what
 * is still running and leaves no socket or timer behind.
 */
import http from "node:http";
import http2 from "node:http2";
import net, { type AddressInfo } from "node:net";

export interface FakeServerOptions {
  /** Also serve cleartext HTTP/2 (prior knowledge), as the AWS SDK speaks it. */
  http2?: boolean;
  /** How long an idle HTTP/1.1 connection stays open (Node's default is 5 s). */
  keepAliveTimeoutMs?: number;
}

/** How an exchange ended: the answer was sent whole, or the client (or a cut) ended it first. */
export type Settlement = "completed" | "aborted";

/** What a fake knows about the life of each request it recorded. */
export interface RequestLifecycle {
  /** True once the client left before the answer was complete. */
  aborted: boolean;
  /** Resolves when the client leaves before the answer was complete. */
  whenAborted: Promise<void>;
  /** Resolves once the exchange is over, saying how it ended. */
  whenSettled: Promise<Settlement>;
}

/** One request and its answer, whichever HTTP version carries them. */
export interface FakeExchange {
  readonly method: string;
  /** The request target as it arrived, still percent-encoded, with its query. */
  readonly rawUrl: string;
  /** The target parsed (path decoded by segments only when asked). */
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  /** `2.0` for cleartext HTTP/2, `1.1` otherwise. */
  readonly httpVersion: string;
  readonly body: Buffer;
  readonly lifecycle: RequestLifecycle;
  head(status: number, headers?: Record<string, string>): void;
  /** Resolves once the bytes are handed to the connection, so a later cut cannot discard them. */
  write(bytes: Uint8Array | string): Promise<void>;
  end(body?: Uint8Array | string): void;
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  /** True once the response stream is gone (client left, or a cut). */
  readonly destroyed: boolean;
  destroy(error?: Error): void;
  /**
   * Ends the whole connection as a network failure would: a TCP reset
   * (`reset`), or a plain close of the socket (`close`).
   */
  cut(how?: "reset" | "close"): void;
  /** Waits `ms`, or less when the client leaves first, so a slow answer leaves no timer behind. */
  pause(ms: number): Promise<void>;
}

interface Waiter<T> {
  matches(request: T, index: number): boolean;
  resolve(request: T): void;
  reject(error: Error): void;
}

/** What every HTTP/2 connection starts with (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * The base of a fake upstream. A subclass answers each request in `handle`
 * and calls `record` for the requests tests should see.
 */
export abstract class FakeServer<Recorded extends RequestLifecycle> {
  readonly requests: Recorded[] = [];
  /** How many connections clients have opened (each HTTP/1.1 socket or HTTP/2 session). */
  connectionsOpened = 0;
  readonly #listener = net.createServer((socket) => this.#route(socket));
  readonly #http1: http.Server;
  readonly #http2: http2.Http2Server | undefined;
  readonly #sockets = new Set<net.Socket>();
  /** The socket under each HTTP/2 session: the session only lends a guarded view of it. */
  readonly #sessionSockets = new WeakMap<http2.Http2Session, net.Socket>();
  #connecting: net.Socket | undefined;
  readonly #running = new Set<{ exchange: FakeExchange; abandon(): void; done: Promise<void> }>();
  #waiters: Waiter<Recorded>[] = [];
  /** How many requests `nextRequest` has handed out since the last reset. */
  #taken = 0;

  constructor(options: FakeServerOptions = {}) {
    this.#http1 = http.createServer(
      options.keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: options.keepAliveTimeoutMs },
    );
    this.#http1.on("request", (req, res) => this.#serve(http1Exchange(req, res)));
    if (options.http2) {
      this.#http2 = http2.createServer();
      this.#http2.on("session", (session) => {
        // Emitted synchronously while the listener hands the socket over.
        if (this.#connecting) this.#sessionSockets.set(session, this.#connecting);
      });
      this.#http2.on("request", (req, res) => {
        this.#serve(http2Exchange(req, res, this.#sessionSockets.get(req.stream.session as http2.Http2Session)));
      });
    }
  }

  /** Answers one request; the body has been read. */
  protected abstract handle(exchange: FakeExchange): Promise<void>;

  /** What a subclass forgets on reset besides the recorded requests (its scripted behaviours). */
  protected onReset(): void {}

  /** Starts listening on `port` (0: any free port); answers the URL clients use. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#listener.once("error", reject);
      this.#listener.listen(port, "127.0.0.1", () => {
        this.#listener.off("error", reject);
        resolve();
      });
    });
    return this.url;
  }

  get port(): number {
    return (this.#listener.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>`, without a path. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Stops listening, ends every exchange still running (its handler sees
   * the client leave), closes every connection and waits for the handlers
   * to return. Waits for requests that can no longer come are rejected.
   */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#listener.close(() => resolve()));
    for (const running of this.#running) running.abandon();
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all([...this.#running].map((running) => running.done));
    await closed;
    this.#rejectWaiters("the fake server closed before the request arrived");
  }

  /** Forgets the recorded requests and scripted behaviours, as between tests. */
  reset(): void {
    this.requests.length = 0;
    this.connectionsOpened = 0;
    this.#taken = 0;
    this.#rejectWaiters("the fake server was reset while waiting for a request");
    this.onReset();
  }

  /**
   * The recorded requests in arrival order, one per call: the first call
   * answers the first request since the start (or reset), the next call
   * the one after, resolving as soon as that request has arrived.
   */
  nextRequest(): Promise<Recorded> {
    const wanted = this.#taken;
    this.#taken += 1;
    return this.#when((_, index) => index === wanted);
  }

  /** The first recorded request that matches, already received or still to come. */
  waitFor(predicate: (request: Recorded) => boolean = () => true): Promise<Recorded> {
    return this.#when((request) => predicate(request));
  }

  /** Records a request with its lifecycle and wakes whoever waits for it. */
  protected record(exchange: FakeExchange, fields: Omit<Recorded, keyof RequestLifecycle>): Recorded {
    // The lifecycle object itself, so its `aborted` flag stays current.
    const recorded = Object.assign(exchange.lifecycle, fields) as unknown as Recorded;
    const index = this.requests.push(recorded) - 1;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.matches(recorded, index)) return true;
      waiter.resolve(recorded);
      return false;
    });
    return recorded;
  }

  #when(matches: Waiter<Recorded>["matches"]): Promise<Recorded> {
    const index = this.requests.findIndex((request, position) => matches(request, position));
    const found = this.requests[index];
    if (found) return Promise.resolve(found);
    return new Promise<Recorded>((resolve, reject) => this.#waiters.push({ matches, resolve, reject }));
  }

  #rejectWaiters(reason: string): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(new Error(reason));
  }

  #serve(started: Promise<{ exchange: FakeExchange; abandon(): void }>): void {
    const entry = { exchange: undefined as unknown as FakeExchange, abandon: () => {}, done: Promise.resolve() };
    entry.done = started
      .then(async ({ exchange, abandon }) => {
        entry.exchange = exchange;
        entry.abandon = abandon;
        try {
          await this.handle(exchange);
        } catch (error) {
          exchange.destroy(error as Error);
        }
      })
      .catch(() => {
        // The client left while the body was still arriving: nothing to answer.
      })
      .finally(() => this.#running.delete(entry));
    this.#running.add(entry);
  }

  /** Hands each connection to the HTTP/2 or the HTTP/1.1 server by its first bytes. */
  #route(socket: net.Socket): void {
    this.connectionsOpened += 1;
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
    // Resets and half-read connections are the clients' business, not a failure of the fake.
    socket.on("error", () => {});
    const http2Server = this.#http2;
    if (!http2Server) {
      this.#http1.emit("connection", socket);
      return;
    }
    let seen = Buffer.alloc(0);
    const onReadable = () => {
      for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
        seen = Buffer.concat([seen, chunk]);
      }
      const compared = Math.min(seen.length, HTTP2_PREFACE.length);
      const h2 = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
      if (compared === 0 || (h2 && compared < HTTP2_PREFACE.length)) return;
      socket.off("readable", onReadable);
      // Reading kept the socket paused; the chosen server reads these bytes again.
      socket.unshift(seen);
      if (!h2) {
        this.#http1.emit("connection", socket);
        return;
      }
      this.#connecting = socket;
      try {
        http2Server.emit("connection", socket);
      } finally {
        this.#connecting = undefined;
      }
    };
    socket.on("readable", onReadable);
  }
}

async function readBody(req: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Transport {
  req: http.IncomingMessage | http2.Http2ServerRequest;
  res: http.ServerResponse | http2.Http2ServerResponse;
  isDestroyed(): boolean;
  destroy(error?: Error): void;
  socket(): net.Socket | undefined;
  /** Calls back when the client leaves before the answer ended. */
  onAbort(listener: () => void): void;
}

/** The exchange around a request, once its body has arrived; `abandon` ends it from our side. */
async function exchangeOver(transport: Transport): Promise<{ exchange: FakeExchange; abandon(): void }> {
  const { req, res } = transport;
  let markAborted = () => {};
  const whenAborted = new Promise<void>((resolve) => {
    markAborted = resolve;
  });
  const lifecycle: RequestLifecycle = {
    aborted: false,
    whenAborted,
    whenSettled: new Promise<Settlement>((resolve) => {
      res.once("finish", () => resolve("completed"));
      void whenAborted.then(() => resolve("aborted"));
    }),
  };
  const abort = () => {
    lifecycle.aborted = true;
    markAborted();
  };
  transport.onAbort(abort);
  const body = await readBody(req);
  const rawUrl = req.url ?? "/";
  const exchange: FakeExchange = {
    method: req.method ?? "",
    rawUrl,
    url: new URL(rawUrl, "http://fake"),
    headers: req.headers,
    httpVersion: req.httpVersion,
    body,
    lifecycle,
    head: (status, headers = {}) => {
      res.writeHead(status, headers);
    },
    write: (bytes) =>
      new Promise<void>((resolve) => {
        (res as http.ServerResponse).write(bytes, () => resolve());
      }),
    end: (data) => {
      if (data === undefined) res.end();
      else (res as http.ServerResponse).end(data);
    },
    json: (status, payload, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    },
    get destroyed() {
      return transport.isDestroyed();
    },
    destroy: (error) => transport.destroy(error),
    cut: (how = "reset") => {
      const socket = transport.socket();
      if (how === "reset") socket?.resetAndDestroy();
      else socket?.destroy();
    },
    pause: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        void whenAborted.then(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
  return {
    exchange,
    abandon: () => {
      abort();
      transport.destroy();
    },
  };
}

function http1Exchange(req: http.IncomingMessage, res: http.ServerResponse) {
  return exchangeOver({
    req,
    res,
    isDestroyed: () => res.destroyed,
    destroy: (error) => res.destroy(error),
    socket: () => req.socket,
    // The client closing the connection before the answer ended.
    onAbort: (listener) =>
      res.once("close", () => {
        if (!res.writableFinished) listener();
      }),
  });
}

function http2Exchange(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse, socket?: net.Socket) {
  return exchangeOver({
    req,
    res,
    isDestroyed: () => res.stream.destroyed,
    destroy: (error) => res.stream.destroy(error),
    socket: () => socket,
    // The client resetting the stream (RST_STREAM, any code) before the answer ended.
    onAbort: (listener) => req.once("aborted", listener),
  });
}
