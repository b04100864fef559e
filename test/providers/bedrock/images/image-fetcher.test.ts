import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageFetchConfig } from "../../../../src/config/load-config.js";
import { ImageFetchError, ImageFetcher } from "../../../../src/providers/bedrock/images/image-fetcher.js";
import { PNG_BASE64 } from "../../../arbitraries/images.js";

const PNG = Buffer.from(PNG_BASE64, "base64");
const open: ImageFetchConfig = { enabled: true, allowPrivateAddresses: true, maxBytes: 1_000, timeoutMs: 5_000 };

/** An image server on 127.0.0.1 with a route per case. */
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  switch (url.pathname) {
    case "/flag.png":
      res.writeHead(200, { "content-type": "image/png" }).end(PNG);
      return;
    case "/page":
      res.writeHead(200, { "content-type": "text/html" }).end("<html></html>");
      return;
    case "/big":
      res.writeHead(200, { "content-type": "image/png", "content-length": "5000" }).end(Buffer.alloc(5000));
      return;
    case "/big-chunked":
      res.writeHead(200, { "content-type": "image/png" });
      res.write(Buffer.alloc(800));
      res.end(Buffer.alloc(800));
      return;
    case "/missing":
      res.writeHead(404).end();
      return;
    case "/redirect":
      res.writeHead(302, { location: url.searchParams.get("to") ?? "/flag.png" }).end();
      return;
    case "/loop":
      res.writeHead(302, { location: "/loop" }).end();
      return;
    case "/hang":
      return;
  }
});
let base: string;

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ImageFetchError);
    return (error as Error).message;
  }
  throw new Error("the fetch succeeded");
}

const signal = () => AbortSignal.timeout(10_000);

describe("ImageFetcher", () => {
  it("fetches an image, following redirects", async () => {
    const fetcher = new ImageFetcher(open);
    const image = await fetcher.fetch(new URL(`${base}/redirect`), signal());
    expect(image).toEqual({ bytes: PNG, contentType: "image/png" });
  });

  it("refuses loopback by default, by address and by name", async () => {
    const guarded = new ImageFetcher({ ...open, allowPrivateAddresses: false });
    expect(await failure(guarded.fetch(new URL(`${base}/flag.png`), signal()))).toMatch(/private or local/);
    const port = new URL(base).port;
    expect(await failure(guarded.fetch(new URL(`http://localhost:${port}/flag.png`), signal()))).toMatch(
      /resolves to .*private or local/,
    );
    expect(await failure(guarded.fetch(new URL("http://169.254.169.254/latest/meta-data/"), signal()))).toMatch(
      /private or local/,
    );
  });

  it("checks every redirect's target, not only the first address", async () => {
    // Only 127.0.0.1 counts as allowed here, so the redirect to 127.0.0.2 stands for one to a private host.
    const fetcher = new ImageFetcher({ ...open, allowPrivateAddresses: false }, (address) => address === "127.0.0.1");
    const target = encodeURIComponent(`http://127.0.0.2:${new URL(base).port}/flag.png`);
    expect(await failure(fetcher.fetch(new URL(`${base}/redirect?to=${target}`), signal()))).toMatch(
      /127\.0\.0\.2 is a private or local address/,
    );
    expect((await fetcher.fetch(new URL(`${base}/redirect`), signal())).bytes).toEqual(PNG);
  });

  it("refuses other content types, answers other than 2xx, endless redirects and other schemes", async () => {
    const fetcher = new ImageFetcher(open);
    expect(await failure(fetcher.fetch(new URL(`${base}/page`), signal()))).toMatch(/text\/html/);
    expect(await failure(fetcher.fetch(new URL(`${base}/missing`), signal()))).toMatch(/HTTP 404/);
    expect(await failure(fetcher.fetch(new URL(`${base}/loop`), signal()))).toMatch(/redirects/);
    const toFile = encodeURIComponent("file:///etc/passwd");
    expect(await failure(fetcher.fetch(new URL(`${base}/redirect?to=${toFile}`), signal()))).toMatch(/file:/);
  });

  it("caps the size, whether announced or not", async () => {
    const fetcher = new ImageFetcher(open);
    expect(await failure(fetcher.fetch(new URL(`${base}/big`), signal()))).toMatch(/larger than 1000 bytes/);
    expect(await failure(fetcher.fetch(new URL(`${base}/big-chunked`), signal()))).toMatch(/larger than 1000 bytes/);
  });

  it("gives up after its deadline", async () => {
    const fetcher = new ImageFetcher({ ...open, timeoutMs: 50 });
    expect(await failure(fetcher.fetch(new URL(`${base}/hang`), signal()))).toMatch(/no answer within 50 ms/);
  });

  it("fetches nothing when turned off", async () => {
    const fetcher = new ImageFetcher({ ...open, enabled: false });
    expect(await failure(fetcher.fetch(new URL(`${base}/flag.png`), signal()))).toMatch(/data: URL/);
  });
});
