import http2 from "node:http2";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeExchange, FakeServer, type RequestLifecycle } from "./fake-server.js";

interface Seen extends RequestLifecycle {
  path: string;
  httpVersion: string;
}

/** Answers `/hang` never (until the client leaves), anything else at once; counts handlers still running. */
class ProbeFake extends FakeServer<Seen> {
  running = 0;

  protected async handle(exchange: FakeExchange): Promise<void> {
    const seen = this.record(exchange, { path: exchange.url.pathname, httpVersion: exchange.httpVersion });
    this.running += 1;
    try {
      if (seen.path === "/hang") await seen.whenAborted;
      else exchange.json(200, { path: seen.path });
    } finally {
      this.running -= 1;
    }
  }
}

let fake: ProbeFake;

afterEach(async () => {
  await fake?.close();
});

async function startProbe(options: { http2?: boolean } = {}): Promise<ProbeFake> {
  fake = new ProbeFake(options);
  await fake.start();
  return fake;
}

const get = (path: string) => fetch(`${fake.url}${path}`).then((response) => response.json());

function http2Get(url: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on("error", reject);
    const stream = session.request({ ":path": path });
    let body = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      body += chunk;
    });
    stream.on("end", () => {
      session.close();
      resolve(body);
    });
    stream.on("error", reject);
  });
}

describe("a fake server", () => {
  it("serves HTTP/1.1 and, when asked, cleartext HTTP/2 on the same port", async () => {
    await startProbe({ http2: true });
    expect(await get("/one")).toEqual({ path: "/one" });
    expect(JSON.parse(await http2Get(fake.url, "/two"))).toEqual({ path: "/two" });
    expect(fake.requests.map(({ path, httpVersion }) => [path, httpVersion])).toEqual([
      ["/one", "1.1"],
      ["/two", "2.0"],
    ]);
    expect(fake.connectionsOpened).toBe(2);
  });

  it("hands out its requests one per nextRequest call, in arrival order, whether they came before or after", async () => {
    await startProbe();
    await get("/first");
    const first = fake.nextRequest();
    const second = fake.nextRequest();
    await get("/second");
    expect((await first).path).toBe("/first");
    expect((await second).path).toBe("/second");
  });

  it("waits for the first request that matches, already received or still to come", async () => {
    await startProbe();
    await get("/a");
    expect((await fake.waitFor((request) => request.path === "/a")).path).toBe("/a");
    const later = fake.waitFor((request) => request.path === "/b");
    await get("/c");
    await get("/b");
    expect((await later).path).toBe("/b");
  });

  it("says how each exchange ended: answered whole, or left by the client", async () => {
    await startProbe();
    await get("/answered");
    const client = new AbortController();
    const left = fetch(`${fake.url}/hang`, { signal: client.signal }).catch(() => "left");
    const hanging = await fake.waitFor((request) => request.path === "/hang");
    client.abort();
    await left;
    expect(await fake.requests[0]?.whenSettled).toBe("completed");
    expect(await hanging.whenSettled).toBe("aborted");
    expect(hanging.aborted).toBe(true);
  });

  it("forgets its requests on reset and starts counting again", async () => {
    await startProbe();
    await get("/before");
    const waiting = fake.waitFor((request) => request.path === "/never");
    fake.reset();
    await expect(waiting).rejects.toThrow(/reset/);
    expect(fake.requests).toEqual([]);
    await get("/after");
    expect((await fake.nextRequest()).path).toBe("/after");
  });

  it("closes with requests still running: their handlers return, waits reject, the port refuses", async () => {
    await startProbe({ http2: true });
    const port = fake.port;
    const hung = fetch(`${fake.url}/hang`).catch((error: unknown) => error);
    const hungOverHttp2 = http2Get(fake.url, "/hang").catch((error: unknown) => error);
    await fake.nextRequest();
    await fake.nextRequest();
    expect(fake.running).toBe(2);
    const waiting = fake.waitFor((request) => request.path === "/never");
    await fake.close();
    expect(fake.running).toBe(0);
    expect(fake.requests.map((request) => request.aborted)).toEqual([true, true]);
    await expect(waiting).rejects.toThrow(/closed/);
    // Neither client got an answer: the connection ended under them (an error, or an empty HTTP/2 stream).
    expect(await hung).toBeInstanceOf(Error);
    expect(String(await hungOverHttp2)).not.toContain("/hang");
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
  });
});
