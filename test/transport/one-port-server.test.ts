import { once } from "node:events";
import net from "node:net";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { curl } from "../helpers/curl.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient } from "../helpers/grpc-client.js";
import { makeSelfSignedCertificate, type TestCertificate } from "../helpers/self-signed-cert.js";

let upstream: FakeOpenAI;
let gateway: TestGateway;
let certificate: TestCertificate;

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  certificate = makeSelfSignedCertificate();
  gateway = await startGateway({
    openaiBaseURL: upstream.baseURL,
    config: { tls: { certPath: certificate.certPath, keyPath: certificate.keyPath } },
  });
});

afterAll(async () => {
  await gateway?.close(100);
  await upstream?.close();
});

const port = () => new URL(gateway.url).port;
const https = () => `https://127.0.0.1:${port()}`;
const http = () => `http://127.0.0.1:${port()}`;

/** Writes `bytes` one at a time, as a fragmenting proxy would, and collects the answer. */
async function trickle(bytes: Buffer, expectBytes: number): Promise<Buffer> {
  const socket = net.connect(Number(port()), "127.0.0.1");
  await once(socket, "connect");
  socket.setNoDelay(true);
  const received: Buffer[] = [];
  let total = 0;
  const done = new Promise<void>((resolve, reject) => {
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      total += chunk.length;
      if (total >= expectBytes) resolve();
    });
    socket.once("close", () => resolve());
    socket.once("error", reject);
  });
  for (const byte of bytes) {
    socket.write(Buffer.from([byte]));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
  socket.destroy();
  return Buffer.concat(received);
}

describe("one port for every protocol", () => {
  it("serves HTTP/1.1 and HTTP/2 over TLS, chosen by ALPN", async () => {
    const h1 = await curl(`${https()}/health`, ["--cacert", certificate.certPath, "--http1.1"]);
    expect(h1.headers).toMatch(/^HTTP\/1\.1 200/);
    const h2 = await curl(`${https()}/health`, ["--cacert", certificate.certPath, "--http2"]);
    expect(h2.headers).toMatch(/^HTTP\/2 200/);
    expect(JSON.parse(h2.body)).toMatchObject({ status: "ok" });
  });

  it("serves gRPC over TLS", async () => {
    const client = createGrpcChatClient(https(), gateway.key, grpc.credentials.createSsl(certificate.cert));
    try {
      const answer = await client.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "over tls" }] });
      expect(answer.choices[0].message.content).toBe("You said: over tls");
    } finally {
      client.close();
    }
  });

  it("still serves cleartext HTTP/1.1 and h2c on the same port", async () => {
    expect((await curl(`${http()}/health`, ["--http1.1"])).headers).toMatch(/^HTTP\/1\.1 200/);
    expect((await curl(`${http()}/health`, ["--http2-prior-knowledge"])).headers).toMatch(/^HTTP\/2 200/);
    const client = createGrpcChatClient(http(), gateway.key);
    try {
      const answer = await client.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "plain" }] });
      expect(answer.choices[0].message.content).toBe("You said: plain");
    } finally {
      client.close();
    }
  });

  it("routes an HTTP/1.1 request that arrives one byte at a time", async () => {
    const answer = await trickle(Buffer.from("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 12);
    expect(answer.toString("latin1")).toMatch(/^HTTP\/1\.1 200/);
  });

  it("routes an HTTP/2 preface that arrives one byte at a time", async () => {
    const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
    const emptySettings = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    const answer = await trickle(Buffer.concat([preface, emptySettings]), 9);
    // The server's first frame is its SETTINGS frame (type 4 in the fifth byte).
    expect(answer[3]).toBe(4);
  });

  it("survives garbage, half prefaces and silent connections", async () => {
    for (const bytes of [Buffer.from([0x00, 0xff, 0x13, 0x37]), Buffer.from("PRI * HTTP/2"), Buffer.alloc(0)]) {
      const socket = net.connect(Number(port()), "127.0.0.1");
      await once(socket, "connect");
      socket.on("error", () => {});
      socket.resume();
      socket.end(bytes);
      await once(socket, "close");
    }
    expect((await curl(`${http()}/health`)).status).toBe(200);
  });
});
