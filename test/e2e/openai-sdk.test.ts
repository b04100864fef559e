import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { sseJson, wireText } from "../helpers/wire-fixtures.js";

// The same behaviour whichever exchange reaches the upstream.
describe.each(["undici", "sdk"] as const)("OpenAI upstream through %s", (httpClient) => {
  let upstream: FakeOpenAI;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = new FakeOpenAI();
    await upstream.start();
    gateway = await startGateway({ openaiBaseURL: upstream.baseURL, openaiHttpClient: httpClient });
    client = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close(100);
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  describe("the openai SDK against the server", () => {
    it("gets a unary answer", async () => {
      const answer = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hello there" }],
      });
      expect(answer.object).toBe("chat.completion");
      expect(answer.choices[0]?.message.content).toBe("You said: hello there");
      expect(answer.choices[0]?.finish_reason).toBe("stop");
      expect(answer.usage?.total_tokens).toBeGreaterThan(0);
    });

    it("streams an answer", async () => {
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "stream me please" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe("You said: stream me please");
      expect(usage?.completion_tokens).toBe(5);
    });
  });

  describe("a recorded OpenAI stream replayed through the server", () => {
    it("reaches the SDK with its text, finish reason and usage", async () => {
      const recorded = sseJson("openai/stream_text_include_usage.sse") as unknown as OpenAI.ChatCompletionChunk[];
      upstream.enqueue({ kind: "raw-sse", body: wireText("openai/stream_text_include_usage.sse") });
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "What is the weather tomorrow in Paris?" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const received: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) received.push(chunk);
      const textOf = (chunks: OpenAI.ChatCompletionChunk[]) =>
        chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
      expect(textOf(received)).toBe(textOf(recorded));
      const finishReasons = (chunks: OpenAI.ChatCompletionChunk[]) =>
        chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean);
      expect(finishReasons(received)).toEqual(finishReasons(recorded));
      expect(received.at(-1)?.usage).toMatchObject({
        prompt_tokens: recorded.at(-1)?.usage?.prompt_tokens,
        completion_tokens: recorded.at(-1)?.usage?.completion_tokens,
        total_tokens: recorded.at(-1)?.usage?.total_tokens,
      });
    });
  });

  describe("the openai SDK with tools, images and parameters", () => {
    const weatherTool = {
      type: "function" as const,
      function: {
        name: "get_weather",
        description: "Get the weather for a city.",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    };

    it("forwards every parameter and the whole conversation", async () => {
      const conversation: OpenAI.ChatCompletionMessageParam[] = [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: '{"temp":21}' },
      ];
      await client.chat.completions.create({
        model: "gpt-4o",
        messages: conversation,
        tools: [weatherTool],
        tool_choice: { type: "function", function: { name: "get_weather" } },
        temperature: 0.3,
        top_p: 0.8,
        max_tokens: 55,
        stop: ["END"],
        seed: 7,
        user: "user-42",
      });
      const sent = upstream.lastChatBody();
      expect(sent).toMatchObject({
        model: "gpt-4o",
        temperature: 0.3,
        top_p: 0.8,
        max_tokens: 55,
        stop: ["END"],
        seed: 7,
        user: "user-42",
        tools: [weatherTool],
        tool_choice: { type: "function", function: { name: "get_weather" } },
      });
      // The conversation reaches OpenAI exactly as the client wrote it.
      expect(sent.messages).toEqual(conversation);
      expect(sent).not.toHaveProperty("stream");
    });

    it("sends max_completion_tokens under the name the caller used", async () => {
      await client.chat.completions.create({
        model: "o3-mini",
        messages: [{ role: "user", content: "think" }],
        max_completion_tokens: 99,
        reasoning_effort: "low",
      });
      const sent = upstream.lastChatBody();
      expect(sent.max_completion_tokens).toBe(99);
      expect(sent.reasoning_effort).toBe("low");
      expect(sent).not.toHaveProperty("max_tokens");
    });

    it("returns tool calls in a unary answer", async () => {
      upstream.enqueue({
        kind: "reply",
        toolCalls: [{ id: "call_abc", name: "get_weather", arguments: '{"city":"Rome"}' }],
      });
      const answer = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "weather in Rome?" }],
        tools: [weatherTool],
      });
      const choice = answer.choices[0];
      expect(choice?.finish_reason).toBe("tool_calls");
      expect(choice?.message.content).toBeNull();
      expect(choice?.message.tool_calls).toEqual([
        { id: "call_abc", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
      ]);
    });

    it("streams parallel tool calls that the SDK reassembles", async () => {
      upstream.enqueue({
        kind: "reply",
        text: "Checking both.",
        toolCalls: [
          { id: "call_p", name: "get_weather", arguments: '{"city":"Paris"}' },
          { id: "call_r", name: "get_weather", arguments: '{"city":"Rome","unit":"celsius"}' },
        ],
      });
      const final = await client.chat.completions
        .stream({ model: "gpt-4o-mini", messages: [{ role: "user", content: "both cities" }], tools: [weatherTool] })
        .finalChatCompletion();
      const message = final.choices[0]?.message;
      expect(message?.content).toBe("Checking both.");
      expect(
        message?.tool_calls?.map((call) => call.type === "function" && [call.id, call.function.arguments]),
      ).toEqual([
        ["call_p", '{"city":"Paris"}'],
        ["call_r", '{"city":"Rome","unit":"celsius"}'],
      ]);
      expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    });

    it("sends no usage in a stream unless asked, and asks upstream for it anyway", async () => {
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "no usage" }],
        stream: true,
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
      expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
      expect(upstream.lastChatBody().stream_options).toEqual({ include_usage: true });
    });

    it("lists the upstream's models", async () => {
      const models = [];
      for await (const model of client.models.list()) models.push(model.id);
      expect(models).toEqual(["gpt-4o-mini", "gpt-4o"]);
    });
  });

  describe("UPSTREAM_TIMEOUT_MS bounds how long the upstream may stay silent, not how long it may talk", () => {
    const TIMEOUT_MS = 1_500;
    let patient: TestGateway;
    let patientClient: OpenAI;

    beforeAll(async () => {
      patient = await startGateway({
        openaiBaseURL: upstream.baseURL,
        openaiHttpClient: httpClient,
        config: { upstreamTimeoutMs: TIMEOUT_MS },
      });
      patientClient = new OpenAI({ apiKey: patient.key, baseURL: `${patient.url}/v1`, maxRetries: 0 });
    });

    afterAll(async () => {
      await patient?.close(100);
    });

    const streamText = async (words: number) => {
      const stream = await patientClient.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: Array.from({ length: words }, (_, index) => `w${index}`).join(" ") }],
        stream: true,
      });
      let text = "";
      const failure = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })().then(
        () => undefined,
        (error: unknown) => error,
      );
      return { text, failure };
    };

    it("answers 504 timeout_error when a unary answer does not come in time, and aborts the upstream call", async () => {
      upstream.enqueue({ kind: "reply", delayMs: 10 * TIMEOUT_MS });
      const error = (await patientClient.chat.completions
        .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(504);
      expect(error.type).toBe("timeout_error");
      await upstream.chatRequests[0]?.whenAborted;
      expect(upstream.chatRequests[0]?.aborted).toBe(true);
    });

    it("ends a stream with the timeout error event when the next chunk does not come in time", async () => {
      upstream.enqueue({ kind: "reply", chunkDelayMs: 10 * TIMEOUT_MS });
      const { text, failure } = await streamText(3);
      expect(text).toBe("");
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      expect((failure as InstanceType<typeof OpenAI.APIError>).type).toBe("timeout_error");
      await upstream.chatRequests[0]?.whenAborted;
      expect(upstream.chatRequests[0]?.aborted).toBe(true);
    });

    it("completes a stream whose chunks each come in time though the whole takes longer", async () => {
      // 50 words with 50 ms after each chunk: well over the timeout in all.
      upstream.enqueue({ kind: "reply", chunkDelayMs: 50 });
      const { text, failure } = await streamText(50);
      expect(failure).toBeUndefined();
      expect(text).toBe(`You said: ${Array.from({ length: 50 }, (_, index) => `w${index}`).join(" ")}`);
    });
  });

  describe("upstream failures reach the SDK as its own error classes", () => {
    const ask = () =>
      client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    const openaiError = (status: number, type: string, code: string | null, message = "upstream says no") => ({
      kind: "error" as const,
      status,
      body: { error: { message, type, param: null, code } },
    });

    it("404 model_not_found -> NotFoundError", async () => {
      upstream.enqueue(
        openaiError(404, "invalid_request_error", "model_not_found", "The model `gpt-9` does not exist"),
      );
      const error = await ask().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
      expect((error as Error).message).toContain("gpt-9");
    });

    it("429 -> RateLimitError with retry-after passed on", async () => {
      upstream.enqueue({ ...openaiError(429, "requests", "rate_limit_exceeded"), headers: { "retry-after": "7" } });
      const error = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error.headers?.get("retry-after")).toBe("7");
      expect(error.code).toBe("rate_limit_exceeded");
    });

    it("400 keeps the upstream's param", async () => {
      upstream.enqueue({
        kind: "error",
        status: 400,
        body: {
          error: {
            message: "Invalid value for 'logit_bias'.",
            type: "invalid_request_error",
            param: "logit_bias",
            code: "invalid_value",
          },
        },
      });
      const error = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe("logit_bias");
    });

    it("upstream 401 -> AuthenticationError without the upstream key", async () => {
      upstream.enqueue(
        openaiError(
          401,
          "invalid_request_error",
          "invalid_api_key",
          "Incorrect API key provided: sk-fake-upstream-secret-0123456789.",
        ),
      );
      const error = await ask().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(String((error as Error).message)).not.toContain("sk-fake");
      expect(gateway.logText()).not.toContain("sk-fake-upstream-secret");
    });

    it("503 -> InternalServerError (503), 500 -> 502", async () => {
      upstream.enqueue(openaiError(503, "server_error", null, "The engine is currently overloaded"));
      const unavailable = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(unavailable).toBeInstanceOf(OpenAI.InternalServerError);
      expect(unavailable.status).toBe(503);
      upstream.enqueue(openaiError(500, "server_error", null));
      const failed = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(failed.status).toBe(502);
      expect(failed.type).toBe("upstream_error");
    });

    it("an upstream that cuts the connection -> 502 APIConnectionError type", async () => {
      upstream.enqueue({ kind: "cut" });
      const error = (await ask().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(502);
      expect(error.type).toBe("api_connection_error");
    });

    it("a stream that fails before its first chunk gets a real HTTP status", async () => {
      upstream.enqueue(openaiError(429, "requests", "rate_limit_exceeded"));
      const error = await client.chat.completions
        .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    });

    it("a stream that fails midway ends with an error event the SDK throws", async () => {
      upstream.enqueue({
        kind: "midstream-error",
        afterChunks: 3,
        error: {
          error: {
            message: "The server had an error while processing your request.",
            type: "server_error",
            param: null,
            code: null,
          },
        },
      });
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "one two three four" }],
        stream: true,
      });
      const received: string[] = [];
      const error = await (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
      })().catch((e: unknown) => e);
      expect(received).toHaveLength(3);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as Error).message).toContain("The server had an error");
    });

    it("a stream cut by the upstream ends with an error event, not a hang", async () => {
      upstream.enqueue({ kind: "cut", afterChunks: 2 });
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "one two three four" }],
        stream: true,
      });
      const error = await (async () => {
        for await (const _chunk of stream) {
          // drain
        }
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
    });
  });
});
