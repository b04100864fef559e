/**
 * The server stays up and answers sensibly under arbitrary bodies, lies about
 * sizes and crowds of clients that leave mid-stream.
 */
import http from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useOpenAIGateway } from "../helpers/gateway.js";

const setup = useOpenAIGateway();

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${setup.gateway.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${setup.gateway.key}`, "content-type": "application/json", ...headers },
    body,
  });
}

const anyBody = fc.oneof(
  fc.json(),
  fc
    .record(
      {
        model: fc.oneof(fc.string(), fc.constantFrom("gpt-4o-mini", "bedrock/amazon.nova-pro-v1:0"), fc.anything()),
        messages: fc.oneof(
          fc.array(
            fc.record({ role: fc.oneof(fc.string(), fc.constantFrom("user", "system")), content: fc.anything() }),
          ),
          fc.anything(),
        ),
        stream: fc.anything(),
        temperature: fc.anything(),
        tools: fc.anything(),
        anthropic_version: fc.anything(),
        inputText: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);

describe("robustness", () => {
  it("answers any body with a clear status and an error body, never a server fault", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        fc.constantFrom("", "?target_format=bedrock_claude", "?target_format=bedrock_titan"),
        async (body, query) => {
          const response = await post(`/v1/chat/completions${query}`, body);
          const text = await response.text();
          // 503: a Bedrock model on a server without Bedrock.
          expect([200, 400, 503], text).toContain(response.status);
          if (response.status !== 200) expect(text).toMatch(/error|message/);
        },
      ),
      { numRuns: 150 },
    );
    expect((await fetch(`${setup.gateway.url}/health`)).status).toBe(200);
  });

  it.each(["/v1/chat/completions", "/v1/embeddings"])(
    "refuses a body for %s that declares more than the limit without reading it",
    async (path) => {
      const status = await new Promise<{ code: number; body: string }>((resolve, reject) => {
        const request = http.request(`${setup.gateway.url}${path}`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${setup.gateway.key}`,
            "content-type": "application/json",
            "content-length": String(64 * 1024 * 1024),
          },
        });
        request.on("response", (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => {
            body += chunk.toString();
          });
          response.on("end", () => resolve({ code: response.statusCode ?? 0, body }));
        });
        request.on("error", reject);
        request.write("{");
      });
      expect(status.code).toBe(413);
      expect(JSON.parse(status.body)).toMatchObject({ error: { code: "request_too_large" } });
    },
  );

  it("answers an upstream's answer of the wrong shape with a 502 upstream_error, unary and streamed", async () => {
    const hello = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
    setup.upstream.enqueue({ kind: "error", status: 200, body: { id: "chatcmpl-1", object: "chat.completion" } });
    const unary = await post("/v1/chat/completions", JSON.stringify(hello));
    expect(unary.status).toBe(502);
    expect(await unary.json()).toMatchObject({
      error: { type: "upstream_error", message: "The upstream sent a chat completion this server cannot read." },
    });

    setup.upstream.enqueue({ kind: "raw-sse", body: 'data: {"id":"chatcmpl-2","choices":[{"delta":7}]}\n\n' });
    const streamed = await (await post("/v1/chat/completions", JSON.stringify({ ...hello, stream: true }))).text();
    expect(streamed).toContain('"type":"upstream_error"');
    expect(streamed).toContain("The upstream sent a stream chunk this server cannot read.");
    expect(streamed).not.toContain("server_error");
  });

  it("stays up when many streaming clients leave at once, and ends the upstream calls of exactly those", async () => {
    const clients = Array.from({ length: 40 }, (_, index) => ({ said: `client ${index}`, leaves: index % 2 === 0 }));
    // Long enough that an upstream call nobody cancels is answered whole, which the check below would see.
    setup.upstream.enqueue(
      ...clients.map(() => ({ kind: "reply" as const, text: "a b c d e f g h i j", chunkDelayMs: 50 })),
    );
    await Promise.all(
      clients.map(async ({ said, leaves }) => {
        const controller = new AbortController();
        const response = await fetch(`${setup.gateway.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${setup.gateway.key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: said }] }),
          signal: controller.signal,
        });
        const reader = response.body?.getReader();
        await reader?.read();
        if (leaves) controller.abort();
        else while (!(await reader?.read())?.done) {}
      }),
    );
    // Every client's call reached the upstream (each read its first chunk); they arrived in any order.
    const endings = await Promise.all(
      setup.upstream.chatRequests.map(async (request) => {
        const messages = (request.body?.messages ?? []) as { content: string }[];
        return [messages[0]?.content, await request.whenSettled] as const;
      }),
    );
    expect(Object.fromEntries(endings)).toEqual(
      Object.fromEntries(clients.map(({ said, leaves }) => [said, leaves ? "aborted" : "completed"])),
    );
    const after = await post(
      "/v1/chat/completions",
      JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "still here" }] }),
    );
    expect(await after.json()).toMatchObject({ choices: [{ message: { content: "You said: still here" } }] });
  });
});
