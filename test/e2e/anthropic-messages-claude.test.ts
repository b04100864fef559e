import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, rejection, startBedrockStack, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { sseEvents } from "./formats-gateway.js";

// Anthropic's names as Claude Code sends them, and the profiles they are in us-west-2 (the fake's region).
const SONNET_45 = "claude-sonnet-4-5";
const SONNET_45_PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const SONNET_4 = "claude-sonnet-4-20250514";
const SONNET_4_PROFILE = "us.anthropic.claude-sonnet-4-20250514-v1:0";

const weatherTool: Anthropic.Tool = {
  name: "get_weather",
  description: "Get the weather for a city.",
  input_schema: {
    type: "object",
    properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
    required: ["city"],
  },
};

describe.each(BEDROCK_HTTP_CLIENTS)("/v1/messages for Claude on Bedrock (through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });
  const client = () => new Anthropic({ apiKey: stack.gateway.key, baseURL: stack.gateway.url, maxRetries: 0 });

  it("passes the caller's body to InvokeModel as Bedrock takes it, and Claude's answer back as it is", async () => {
    const system: Anthropic.TextBlockParam[] = [
      { type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } },
    ];
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: "hello there" }];
    const answer = await client().messages.create({
      model: SONNET_45,
      max_tokens: 256,
      system,
      messages,
      stop_sequences: ["\n\nHuman:"],
      metadata: { user_id: "user-1" },
      service_tier: "auto",
    });
    expect(answer).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: "You said: hello there" }],
      stop_reason: "end_turn",
    });
    expect(answer.id).toMatch(/^msg_/);
    expect(answer.usage.output_tokens).toBe(4);
    expect(answer.usage.input_tokens).toBeGreaterThan(0);

    const received = stack.bedrock.last();
    expect(received.operation).toBe("invoke");
    expect(received.modelId).toBe(SONNET_45_PROFILE);
    // No model (it is in the path), no stream, no service tier; everything else as sent.
    expect(received.body).toEqual({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 256,
      system,
      messages,
      stop_sequences: ["\n\nHuman:"],
      metadata: { user_id: "user-1" },
    });
  });

  it("streams Claude's own events with messages.stream(), thinking signed, and takes the signature back", async () => {
    const request: Anthropic.MessageCreateParams = {
      model: SONNET_4,
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      tools: [weatherTool],
      messages: [{ role: "user", content: "weather in Paris" }],
    };
    const stream = client().messages.stream(request);
    const types: string[] = [];
    const deltas = new Set<string>();
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "content_block_delta") deltas.add(event.delta.type);
    }
    const message = await stream.finalMessage();
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    expect(types).toContain("message_delta");
    expect(deltas).toEqual(new Set(["thinking_delta", "signature_delta", "text_delta"]));
    const thinking = message.content.find((block) => block.type === "thinking");
    expect(thinking?.signature).toBeTruthy();
    expect(message.content.find((block) => block.type === "text")).toMatchObject({
      text: "You said: weather in Paris",
    });
    expect(stack.bedrock.last()).toMatchObject({
      operation: "invoke-with-response-stream",
      modelId: SONNET_4_PROFILE,
      body: { thinking: { type: "enabled", budget_tokens: 1024 }, tools: [weatherTool] },
    });

    // The next turn carries the signed block back; the fake refuses a forged or missing signature.
    const next = await client().messages.create({
      ...request,
      messages: [
        ...request.messages,
        { role: "assistant", content: message.content },
        { role: "user", content: "and Rome?" },
      ],
    });
    expect(next.content.at(-1)).toMatchObject({ type: "text", text: "You said: and Rome?" });
    const sentBack = (stack.bedrock.last().body.messages as Anthropic.MessageParam[])[1];
    expect(sentBack?.content).toEqual(message.content);
  });

  it("calls a tool and reads its result on the next turn, with thinking blocks first", async () => {
    const first = await client().messages.create({
      model: SONNET_45,
      max_tokens: 512,
      tools: [weatherTool],
      tool_choice: { type: "tool", name: "get_weather" },
      messages: [{ role: "user", content: "weather in Paris" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((block) => block.type === "tool_use");
    expect(use).toMatchObject({ type: "tool_use", name: "get_weather" });
    if (use?.type !== "tool_use") throw new Error("no tool use");
    expect(typeof (use.input as { city?: unknown }).city).toBe("string");

    const second = await client().messages.create({
      model: SONNET_45,
      max_tokens: 512,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "weather in Paris" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "18C and sunny" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "The tool said: 18C and sunny" }]);
  });

  it("streams a tool call as input_json_delta events", async () => {
    const stream = client().messages.stream({
      model: SONNET_45,
      max_tokens: 512,
      tools: [weatherTool],
      tool_choice: { type: "tool", name: "get_weather" },
      messages: [{ role: "user", content: "weather in Paris" }],
    });
    const deltas: string[] = [];
    stream.on("streamEvent", (event) => {
      if (event.type === "content_block_delta") deltas.push(event.delta.type);
    });
    const message = await stream.finalMessage();
    expect(deltas).toContain("input_json_delta");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.at(-1)).toMatchObject({ type: "tool_use", name: "get_weather" });
  });

  it("carries documents, cache marks and the cache counts through as Claude has them", async () => {
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n").toString("base64");
    const request: Anthropic.MessageCreateParamsNonStreaming = {
      model: SONNET_45,
      max_tokens: 128,
      system: [
        { type: "text", text: "You read reports. ".repeat(200), cache_control: { type: "ephemeral", ttl: "1h" } },
      ],
      messages: [
        {
          role: "user",
          content: [
            {
              type: "document",
              title: "Q3 report",
              source: { type: "base64", media_type: "application/pdf", data: pdf },
              citations: { enabled: true },
            },
            { type: "text", text: "Summarize it." },
          ],
        },
      ],
    };
    const first = await client().messages.create(request);
    const second = await client().messages.create(request);
    expect(stack.bedrock.last().body).toEqual({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 128,
      system: request.system,
      messages: request.messages,
    });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });

  it("takes Bedrock ids, ARNs and routing prefixes as every route does", async () => {
    const hello = { max_tokens: 16, messages: [{ role: "user" as const, content: "hi" }] };
    const arn = "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0";
    for (const model of [SONNET_45_PROFILE, `bedrock/${SONNET_45_PROFILE}`, arn]) {
      const answer = await client().messages.create({ model, ...hello });
      expect(answer.content).toEqual([{ type: "text", text: "You said: hi" }]);
      expect(stack.bedrock.last()).toMatchObject({ operation: "invoke", modelId: model.replace(/^bedrock\//, "") });
    }
  });

  it("sends the anthropic-beta flags Bedrock takes as anthropic_beta and leaves the others out", async () => {
    await client().beta.messages.create({
      model: SONNET_45,
      max_tokens: 64,
      betas: ["claude-code-20250219", "interleaved-thinking-2025-05-14", "advanced-tool-use-2025-11-20"],
      messages: [{ role: "user", content: "hi" }],
    });
    expect(stack.bedrock.last().body.anthropic_beta).toEqual([
      "interleaved-thinking-2025-05-14",
      "tool-search-tool-2025-10-19",
      "tool-examples-2025-10-29",
    ]);

    // Only flags Bedrock refuses: no anthropic_beta at all.
    await client().messages.create(
      { model: SONNET_45, max_tokens: 64, messages: [{ role: "user", content: "hi" }] },
      { headers: { "anthropic-beta": "claude-code-20250219, files-api-2025-04-14" } },
    );
    expect(stack.bedrock.last().body).not.toHaveProperty("anthropic_beta");
  });

  it("counts tokens with Bedrock's CountTokens on the foundation model", async () => {
    const body = {
      model: SONNET_45,
      system: "Be brief.",
      messages: [{ role: "user" as const, content: "count these words please" }],
    };
    const counted = await client().messages.countTokens(body);
    const request = stack.bedrock.last();
    expect(request.operation).toBe("count-tokens");
    expect(request.modelId).toBe("anthropic.claude-sonnet-4-5-20250929-v1:0");
    const input = request.body.input as { invokeModel: { body: string } };
    expect(JSON.parse(Buffer.from(input.invokeModel.body, "base64").toString("utf8"))).toEqual({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 1,
      system: "Be brief.",
      messages: body.messages,
    });
    // The count is what the model then reports as the input of the same prompt.
    const answer = await client().messages.create({ ...body, max_tokens: 16 });
    expect(counted.input_tokens).toBe(answer.usage.input_tokens);
  });

  it("reports Bedrock's failures as the SDK's own error classes", async () => {
    const hello = { max_tokens: 16, messages: [{ role: "user" as const, content: "hi" }] };
    stack.bedrock.enqueue({
      kind: "error",
      status: 429,
      errorType: "ThrottlingException",
      message: "Too many requests",
    });
    const limited = await rejection(client().messages.create({ model: SONNET_45, ...hello }));
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as APIError).error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });

    stack.bedrock.enqueue({ kind: "error", status: 400, errorType: "ValidationException", message: "Bad input" });
    expect(await rejection(client().messages.create({ model: SONNET_45, ...hello }))).toBeInstanceOf(
      Anthropic.BadRequestError,
    );

    stack.bedrock.enqueue({ kind: "error", status: 403, errorType: "AccessDeniedException", message: "No access" });
    expect(await rejection(client().messages.create({ model: SONNET_45, ...hello }))).toBeInstanceOf(
      Anthropic.PermissionDeniedError,
    );

    const missing = await rejection(client().messages.create({ model: "anthropic.claude-nothing-v1:0", ...hello }));
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as APIError).error).toMatchObject({ error: { type: "not_found_error" } });

    stack.bedrock.enqueue({
      kind: "error",
      status: 503,
      errorType: "ServiceUnavailableException",
      message: "Try later",
    });
    const overloaded = await rejection(client().messages.create({ model: SONNET_45, ...hello }));
    expect(overloaded).toBeInstanceOf(Anthropic.ServiceUnavailableError);
    expect((overloaded as APIError).error).toMatchObject({ error: { type: "overloaded_error" } });

    stack.bedrock.enqueue(
      ...Array.from({ length: 3 }, () => ({
        kind: "error" as const,
        status: 500,
        errorType: "InternalServerException",
        message: "Something broke",
      })),
    );
    const broken = await rejection(client().messages.create({ model: SONNET_45, ...hello }));
    expect(broken).toBeInstanceOf(Anthropic.InternalServerError);
    expect((broken as APIError).error).toMatchObject({ error: { type: "api_error" } });
  });

  it("reports a Bedrock that does not answer in time as the SDK's GatewayTimeoutError", async () => {
    const slow = await startBedrockStack({ bedrock: { httpClient }, config: { upstreamTimeoutMs: 200 } });
    try {
      slow.bedrock.enqueue({ kind: "hang" }, { kind: "hang" }, { kind: "hang" });
      const sdk = new Anthropic({ apiKey: slow.gateway.key, baseURL: slow.gateway.url, maxRetries: 0 });
      const late = await rejection(
        sdk.messages.create({ model: SONNET_45, max_tokens: 8, messages: [{ role: "user", content: "hi" }] }),
      );
      expect(late).toBeInstanceOf(Anthropic.GatewayTimeoutError);
      expect((late as APIError).error).toMatchObject({ error: { type: "timeout_error" } });
    } finally {
      await slow.close();
    }
  });

  /** The SSE frames of a streamed answer to `text`, as they came over the wire. */
  async function rawStreamFrames(text: string): Promise<string[]> {
    const response = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": stack.gateway.key, "content-type": "application/json" },
      body: JSON.stringify({
        model: SONNET_45,
        max_tokens: 64,
        stream: true,
        messages: [{ role: "user", content: text }],
      }),
    });
    return (await response.text()).trim().split("\n\n");
  }

  it("passes Claude's own error event on as Anthropic's error event", async () => {
    stack.bedrock.enqueue({
      kind: "claude-error-event",
      afterFrames: 2,
      errorType: "overloaded_error",
      message: "Overloaded",
    });
    const frames = await rawStreamFrames("a long story");
    expect(frames.at(-1)).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Claude is overloaded: Overloaded"}}',
    );
  });

  it("ends a stream Bedrock cut short with an error event, not as a whole answer", async () => {
    stack.bedrock.enqueue({ kind: "truncated-stream", afterFrames: 3 });
    const events = (await rawStreamFrames("hi")).map((frame) => /^event: (.+)$/m.exec(frame)?.[1]);
    expect(events).not.toContain("message_stop");
    expect(events.at(-1)).toBe("error");
  });

  it("ends a stream that fails midway with an error event the SDK raises", async () => {
    stack.bedrock.enqueue({
      kind: "stream-exception",
      afterFrames: 2,
      exceptionType: "throttlingException",
      body: { message: "Too many tokens" },
    });
    const stream = client().messages.stream({
      model: SONNET_45,
      max_tokens: 64,
      messages: [{ role: "user", content: "a long story" }],
    });
    const failure = await rejection(stream.finalMessage());
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect(String((failure as Error).message)).toMatch(/rate_limit_error/);
  });
});

describe("/v1/messages keys and shapes", () => {
  const stack = useBedrockStack();
  const hello = { model: SONNET_45, max_tokens: 16, messages: [{ role: "user" as const, content: "hi" }] };

  it("takes the key as x-api-key or as a bearer token, and refuses a wrong one in Anthropic's shape", async () => {
    const byApiKey = new Anthropic({ apiKey: stack.gateway.key, baseURL: stack.gateway.url, maxRetries: 0 });
    const byToken = new Anthropic({
      apiKey: null,
      authToken: stack.gateway.key,
      baseURL: stack.gateway.url,
      maxRetries: 0,
    });
    expect((await byApiKey.messages.create(hello)).type).toBe("message");
    expect((await byToken.messages.create(hello)).type).toBe("message");

    const wrong = new Anthropic({ apiKey: "not-the-key", baseURL: stack.gateway.url, maxRetries: 0 });
    const refused = await rejection(wrong.messages.create(hello));
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((refused as APIError).error).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "Incorrect API key provided." },
    });
    const counted = await rejection(wrong.messages.countTokens({ model: SONNET_45, messages: hello.messages }));
    expect(counted).toBeInstanceOf(Anthropic.AuthenticationError);

    const keyless = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(hello),
    });
    expect(keyless.status).toBe(401);
    expect(await keyless.json()).toEqual({
      type: "error",
      error: {
        type: "authentication_error",
        message: "You didn't provide an API key. Send the key as 'x-api-key: <key>' or 'Authorization: Bearer <key>'.",
      },
    });
  });

  it("refuses a body without a model or that is not JSON as an invalid_request_error", async () => {
    const response = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": stack.gateway.key, "content-type": "application/json" },
      body: JSON.stringify({ max_tokens: 5, messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    const broken = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": stack.gateway.key, "content-type": "application/json" },
      body: "{not json",
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("names each SSE event by its payload's type, with a ping after message_start", async () => {
    const response = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify({ ...hello, stream: true }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const parsed = sseEvents(await response.text());
    for (const { event, data } of parsed) expect(data.type).toBe(event);
    expect(parsed.slice(0, 2).map((frame) => frame.event)).toEqual(["message_start", "ping"]);
    expect(parsed.at(-1)?.event).toBe("message_stop");
  });

  it("aborts the Bedrock stream when the client leaves midway", async () => {
    stack.bedrock.enqueue({ kind: "reply", holdAfterFrames: 2 });
    const client = new Anthropic({ apiKey: stack.gateway.key, baseURL: stack.gateway.url, maxRetries: 0 });
    const stream = client.messages.stream({ ...hello });
    const ended = stream.done().catch((error: unknown) => error);
    await new Promise<void>((resolve) => stream.on("streamEvent", () => resolve()));
    stream.abort();
    expect(await ended).toBeInstanceOf(Anthropic.APIUserAbortError);
    const upstream = await stack.bedrock.nextRequest();
    expect(await upstream.whenSettled).toBe("aborted");
  });
});
