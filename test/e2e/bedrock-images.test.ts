import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type ServiceError, status } from "@grpc/grpc-js";
import { BadRequestError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, type BedrockStack, rejection, startBedrockStack } from "../fakes/fake-bedrock-stack.js";

const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==";
const PNG = Buffer.from(PNG_BASE64, "base64");
const CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
const NOVA = "amazon.nova-lite-v1:0";

/** A web server with images on it, counting what it is asked for. */
const served: string[] = [];
const images = http.createServer((req, res) => {
  served.push(req.url ?? "");
  if (req.url === "/flag.png") res.writeHead(200, { "content-type": "image/png" }).end(PNG);
  // A server that labels a PNG as JPEG: the bytes decide.
  else if (req.url === "/mislabelled.jpg") res.writeHead(200, { "content-type": "image/jpeg" }).end(PNG);
  else if (req.url === "/moved") res.writeHead(301, { location: "/flag.png" }).end();
  else res.writeHead(200, { "content-type": "text/html" }).end("<html>not an image</html>");
});
let imageBase: string;

beforeAll(async () => {
  images.listen(0, "127.0.0.1");
  await once(images, "listening");
  imageBase = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
});
afterAll(async () => {
  images.closeAllConnections();
  await new Promise((resolve) => images.close(resolve));
});

// The same behaviour whichever exchange reaches Bedrock Runtime.
describe.each(BEDROCK_HTTP_CLIENTS)("Images (Bedrock through %s)", (httpClient) => {
  let open: BedrockStack;
  let guarded: BedrockStack;

  beforeAll(async () => {
    [open, guarded] = await Promise.all([
      startBedrockStack({
        bedrock: {
          httpClient,
          imageFetch: { enabled: true, allowPrivateAddresses: true, maxBytes: 100_000, timeoutMs: 5_000 },
        },
      }),
      startBedrockStack({ bedrock: { httpClient } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([open?.close(), guarded?.close()]);
  });
  beforeEach(() => {
    served.length = 0;
    open.bedrock.reset();
    guarded.bedrock.reset();
  });

  const withImage = (model: string, url: string) => ({
    model,
    messages: [
      {
        role: "user" as const,
        content: [
          { type: "text" as const, text: "What is this?" },
          { type: "image_url" as const, image_url: { url } },
        ],
      },
    ],
  });

  describe("images given by URL", () => {
    it("are fetched and sent as bytes to Claude (where the operator allows local addresses)", async () => {
      const answer = await open.openai.chat.completions.create(withImage(CLAUDE, `${imageBase}/mislabelled.jpg`));
      expect(answer.choices[0]?.message.content).toBe(
        `You said: What is this? [image: image/png, ${PNG.length} bytes]`,
      );
      expect(served).toEqual(["/mislabelled.jpg"]);
      const [message] = open.bedrock.last().body.messages as { content: unknown[] }[];
      expect(message?.content[1]).toEqual({
        type: "image",
        source: { type: "base64", media_type: "image/png", data: PNG_BASE64 },
      });
    });

    it("are fetched through redirects for Converse, over gRPC too", async () => {
      await open.grpc.create({
        model: NOVA,
        messages: [
          {
            role: "user",
            content_parts: [
              { type: "image_url", image_url: { url: `${imageBase}/moved` } },
              { type: "text", text: "?" },
            ],
          },
        ],
      });
      expect(served).toEqual(["/moved", "/flag.png"]);
      expect((open.bedrock.last().body.messages as { content: unknown[] }[])[0]?.content[0]).toEqual({
        image: { format: "png", source: { bytes: PNG_BASE64 } },
      });
    });

    it("must be images: another content type is a 400 naming the part", async () => {
      const error = await rejection<BadRequestError>(
        open.openai.chat.completions.create(withImage(CLAUDE, `${imageBase}/page.html`)),
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.param).toBe("messages.[0].content.[1].image_url.url");
      expect(error.message).toContain("text/html");
      expect(open.bedrock.requests).toHaveLength(0);
    });

    it("are not fetched from loopback by default: 400 / INVALID_ARGUMENT, and no request made", async () => {
      const port = new URL(imageBase).port;
      for (const url of [`${imageBase}/flag.png`, `http://localhost:${port}/flag.png`]) {
        const error = await rejection<BadRequestError>(guarded.openai.chat.completions.create(withImage(CLAUDE, url)));
        expect(error.status).toBe(400);
        expect(error.param).toBe("messages.[0].content.[1].image_url.url");
        expect(error.message).toMatch(/private or local address/);
      }
      const viaGrpc = await rejection<ServiceError>(
        guarded.grpc.create({
          model: NOVA,
          messages: [
            { role: "user", content_parts: [{ type: "image_url", image_url: { url: `${imageBase}/flag.png` } }] },
          ],
        }),
      );
      expect(viaGrpc.code).toBe(status.INVALID_ARGUMENT);
      expect(served).toEqual([]);
      expect(guarded.bedrock.requests).toHaveLength(0);
    });
  });

  describe("images given inline", () => {
    it.each([
      ["data:image/png;base64,not base64!", "base64 data URL"],
      ["data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=", "not a PNG, JPEG, GIF or WebP image type"],
      ["data:image/png;base64,PGh0bWw+", "is not a PNG, JPEG, GIF or WebP image"],
      ["ftp://example.com/a.png", "ftp: URLs are not supported"],
    ])("refuses %s with a 400", async (url, reason) => {
      const error = await rejection<BadRequestError>(guarded.openai.chat.completions.create(withImage(NOVA, url)));
      expect(error.status).toBe(400);
      expect(error.param).toBe("messages.[0].content.[1].image_url.url");
      expect(error.message).toContain(reason);
    });
  });
});
