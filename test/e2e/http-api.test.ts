import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { type Behavior, FAKE_OPENAI_KEY } from "../fakes/fake-openai.js";
import { curl } from "../helpers/curl.js";
import { useOpenAIGateway } from "../helpers/gateway.js";

const setup = useOpenAIGateway();

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${setup.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${setup.gateway.key}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response) {
  const body = (await response.json()) as {
    error: { message: string; type: string; param: string | null; code: string | null };
  };
  return { status: response.status, ...body.error };
}

const hello = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hello" }] };

describe("health", () => {
  it("answers without a key and says which providers are configured", async () => {
    const response = await fetch(`${setup.gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", providers: { openai: true, bedrock: false } });
  });
});

describe("authentication", () => {
  it("refuses /v1 requests without a key", async () => {
    const response = await fetch(`${setup.gateway.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify(hello),
    });
    expect(await errorOf(response)).toMatchObject({ status: 401, code: "missing_api_key" });
    const models = await fetch(`${setup.gateway.url}/v1/models`);
    expect(models.status).toBe(401);
  });

  it("refuses a wrong key, and the SDK raises AuthenticationError", async () => {
    const response = await post(hello, { authorization: "Bearer not-the-key" });
    expect(await errorOf(response)).toMatchObject({
      status: 401,
      type: "invalid_request_error",
      code: "invalid_api_key",
    });
    const client = new OpenAI({ apiKey: "not-the-key", baseURL: `${setup.gateway.url}/v1`, maxRetries: 0 });
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(setup.upstream.requests).toHaveLength(0);
  });

  it("scrubs the upstream key from a failure that is logged and answered", async () => {
    setup.upstream.enqueue({
      kind: "midstream-error",
      afterChunks: 1,
      error: {
        error: { message: `key ${FAKE_OPENAI_KEY} was revoked`, type: "server_error", param: null, code: null },
      },
    });
    const text = await (await post({ ...hello, stream: true })).text();
    expect(text).toContain("was revoked");
    expect(text).not.toContain(FAKE_OPENAI_KEY);
    const logged = setup.gateway.logText();
    expect(logged).toContain("stream failed after it started");
    expect(logged).toContain("was revoked");
    expect(logged).not.toContain(FAKE_OPENAI_KEY);
  });

  it("never writes a client key into the logs", async () => {
    await post(hello, { authorization: "Bearer a-secret-guess-1234567890" });
    await post(hello);
    expect(setup.gateway.logText()).not.toContain("a-secret-guess");
    expect(setup.gateway.logText()).not.toContain(setup.gateway.key);
  });
});

describe("request validation", () => {
  it("400 for broken JSON", async () => {
    const error = await errorOf(await post('{"model": "gpt-4o-mini", "messages": ['));
    expect(error).toMatchObject({ status: 400, type: "invalid_request_error", code: "invalid_json" });
  });

  it("400 for a body that is not an object", async () => {
    expect((await post("[1,2]")).status).toBe(400);
    expect((await post("")).status).toBe(400);
  });

  it("400 naming the field for a wrong type", async () => {
    expect(await errorOf(await post({ ...hello, temperature: "hot" }))).toMatchObject({
      status: 400,
      param: "temperature",
      code: "invalid_type",
    });
    expect(await errorOf(await post({ ...hello, messages: [{ role: "user", content: 42 }] }))).toMatchObject({
      status: 400,
      param: "messages.[0].content",
    });
    expect(await errorOf(await post({ ...hello, stream: "yes" }))).toMatchObject({ status: 400, param: "stream" });
    expect(await errorOf(await post({ ...hello, max_tokens: 1.5 }))).toMatchObject({
      status: 400,
      param: "max_tokens",
    });
  });

  it("400 for an unknown role", async () => {
    const error = await errorOf(await post({ model: "gpt-4o-mini", messages: [{ role: "wizard", content: "hi" }] }));
    expect(error).toMatchObject({ status: 400, param: "messages.[0].role", code: "invalid_value" });
    expect(error.message).toContain("wizard");
  });

  it("400 for missing or empty messages", async () => {
    expect(await errorOf(await post({ model: "gpt-4o-mini" }))).toMatchObject({ status: 400, param: "messages" });
    expect(await errorOf(await post({ model: "gpt-4o-mini", messages: [] }))).toMatchObject({
      status: 400,
      param: "messages",
    });
  });

  it("400 for out-of-range values, before any upstream call", async () => {
    expect(await errorOf(await post({ ...hello, temperature: 3 }))).toMatchObject({
      status: 400,
      param: "temperature",
    });
    expect(await errorOf(await post({ ...hello, stop: ["a", "b", "c", "d", "e"] }))).toMatchObject({ param: "stop" });
    expect(setup.upstream.requests).toHaveLength(0);
  });

  it("404 for an unknown route and 405 for a wrong method", async () => {
    const unknown = await fetch(`${setup.gateway.url}/v1/engines`, {
      headers: { authorization: `Bearer ${setup.gateway.key}` },
    });
    expect(await errorOf(unknown)).toMatchObject({ status: 404, code: "unknown_url" });
    const wrongMethod = await fetch(`${setup.gateway.url}/v1/chat/completions`, {
      headers: { authorization: `Bearer ${setup.gateway.key}` },
    });
    expect(wrongMethod.status).toBe(405);
  });

  it("503 naming the provider when its model's provider is not configured", async () => {
    const error = await errorOf(await post({ ...hello, model: "bedrock/amazon.nova-pro-v1:0" }));
    expect(error).toMatchObject({ status: 503, type: "configuration_error", code: "provider_not_configured" });
  });
});

describe("SSE framing", () => {
  it("frames chunks as OpenAI does, ending with data: [DONE]", async () => {
    const response = await post({ ...hello, stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const text = await response.text();
    const events = text.split("\n\n").filter(Boolean);
    expect(events.every((event) => event.startsWith("data: "))).toBe(true);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice(6)));
    expect(chunks[0]).toMatchObject({
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }],
      usage: null,
    });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: "stop" }], usage: null });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  const failedMidway: [string, Behavior, object][] = [
    [
      "sends an error event",
      {
        kind: "midstream-error",
        afterChunks: 2,
        error: { error: { message: "The server had an error", type: "server_error", param: null, code: null } },
      },
      {
        error: {
          message: "OpenAI failed while streaming: The server had an error",
          type: "upstream_error",
          param: null,
          code: null,
        },
      },
    ],
    [
      "cuts the connection",
      { kind: "cut", afterChunks: 2 },
      { error: { message: "Could not reach OpenAI.", type: "api_connection_error", param: null, code: null } },
    ],
  ];

  it.each(failedMidway)(
    "ends a stream whose upstream %s with OpenAI's error JSON as the last event and no [DONE]",
    async (_name, behavior, expected) => {
      setup.upstream.enqueue(behavior);
      const response = await post({ ...hello, stream: true });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text.endsWith("\n\n")).toBe(true);
      const events = text.split("\n\n").filter(Boolean);
      expect(events.every((event) => event.startsWith("data: ") && !event.includes("\n"))).toBe(true);
      const data = events.map((event) => JSON.parse(event.slice(6)) as unknown);
      expect(data.slice(0, -1)).toHaveLength(2);
      expect(data.slice(0, -1)).toMatchObject([
        { object: "chat.completion.chunk" },
        { object: "chat.completion.chunk" },
      ]);
      expect(data.at(-1)).toStrictEqual(expected);
      expect(text).not.toContain("[DONE]");
    },
  );

  it("serves the same API over HTTP/2 cleartext (curl --http2-prior-knowledge)", async () => {
    const result = await curl(`${setup.gateway.url}/v1/chat/completions`, [
      "--http2-prior-knowledge",
      "-H",
      `authorization: Bearer ${setup.gateway.key}`,
      "-H",
      "content-type: application/json",
      "-d",
      JSON.stringify({ ...hello, stream: true }),
    ]);
    expect(result.status).toBe(200);
    expect(result.headers).toMatch(/^HTTP\/2 200/);
    expect(result.body.trim().endsWith("data: [DONE]")).toBe(true);
  });

  it("aborts the upstream stream when the client disconnects", async () => {
    setup.upstream.enqueue({ kind: "reply", text: "a b c d e f g h i j k l", chunkDelayMs: 100 });
    const response = await post({ ...hello, stream: true });
    const reader = response.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    await setup.upstream.chatRequests[0]?.whenAborted;
    expect(setup.upstream.chatRequests[0]?.aborted).toBe(true);
    // The server is still fine afterwards.
    expect((await post(hello)).status).toBe(200);
  });

  it("aborts the upstream call when a unary client disconnects", async () => {
    setup.upstream.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const pending = fetch(`${setup.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${setup.gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify(hello),
      signal: controller.signal,
    }).catch(() => undefined);
    const upstreamCall = await setup.upstream.nextChatRequest();
    controller.abort();
    await pending;
    expect(await upstreamCall.whenSettled).toBe("aborted");
  });
});
