/**
 * The two OpenAI exchanges (the official SDK and the lean undici path) must
 * be interchangeable: the same request bytes to the upstream, the same
 * answers, the same errors, and the same meaning of the timeout (the longest
 * the upstream may keep them waiting for an answer or for a stream's next
 * chunk).
 */
import { readFileSync } from "node:fs";
import { create, toJson } from "@bufbuild/protobuf";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChatCompletionChunkSchema, ChatCompletionResponseSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import {
  CreateEmbeddingsRequestSchema,
  CreateEmbeddingsResponseSchema,
} from "../../../gen/openbedrock/v1/embedding_pb.js";
import { GatewayError } from "../../../src/core/errors.js";
import { parseChatRequest } from "../../../src/dialects/openai-chat/parse-chat-request.js";
import { OpenAIProvider } from "../../../src/providers/openai/openai-provider.js";
import { createOpenAISdkExchange } from "../../../src/providers/openai/openai-sdk-exchange.js";
import { createOpenAIUndiciExchange } from "../../../src/providers/openai/openai-undici-exchange.js";
import { type Behavior, FAKE_OPENAI_KEY, FakeOpenAI } from "../../fakes/fake-openai.js";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/wire/openai/${name}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

let upstream: FakeOpenAI;
let providers: [string, OpenAIProvider][];

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  const options = { apiKey: FAKE_OPENAI_KEY, baseURL: upstream.baseURL, timeoutMs: 10_000 };
  providers = [
    ["sdk", new OpenAIProvider(createOpenAISdkExchange(options))],
    ["undici", new OpenAIProvider(createOpenAIUndiciExchange(options))],
  ];
});

afterAll(async () => {
  await upstream?.close();
});

beforeEach(() => upstream.reset());

/** The fake numbers its answers; everything but the id must match. */
function withoutId(json: unknown): unknown {
  const { id: _id, ...rest } = json as Record<string, unknown>;
  return rest;
}

const call = () => ({ modelId: "gpt-4o", signal: new AbortController().signal });

/** What a caller sees of an error. */
interface SeenError {
  name: string;
  status: number;
  message: string;
  code: string | null;
  param: string | null;
  retry: number | undefined;
}

function describeError(error: unknown): SeenError {
  expect(error).toBeInstanceOf(GatewayError);
  const gateway = error as GatewayError;
  return {
    name: gateway.name,
    status: gateway.httpStatus,
    message: gateway.message,
    code: gateway.code,
    param: gateway.param,
    retry: gateway.retryAfterSeconds,
  };
}

const seen = (name: string, status: number, message: string, more: Partial<SeenError> = {}): SeenError => ({
  name,
  status,
  message,
  code: null,
  param: null,
  retry: undefined,
  ...more,
});

const canceledByCaller = seen("CanceledError", 499, "The request was cancelled by the caller.");
const notInTime = seen("TimeoutError", 504, "OpenAI did not answer in time.");

const requests = {
  "the full wire example": parseChatRequest(fixture("chat_request_full.json")).request,
  "a plain question": parseChatRequest({ model: "gpt-4o", messages: [{ role: "user", content: "plain" }], stop: "x" })
    .request,
};

describe.each(Object.entries(requests))("both exchanges with %s", (_name, request) => {
  it("send the same body and get the same unary answer", async () => {
    const answers = [];
    for (const [, provider] of providers) {
      upstream.enqueue({
        kind: "reply",
        toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
        text: "ok",
      });
      answers.push(
        withoutId(toJson(ChatCompletionResponseSchema, await provider.createChatCompletion(request, call()))),
      );
    }
    const [sdkBody, undiciBody] = upstream.chatRequests.map((recorded) => recorded.body);
    expect(undiciBody).toEqual(sdkBody);
    expect(answers[1]).toEqual(answers[0]);
    const [sdkHeaders, undiciHeaders] = upstream.chatRequests.map((recorded) => recorded.headers);
    expect(undiciHeaders?.authorization).toBe(sdkHeaders?.authorization);
    expect(undiciHeaders?.["content-type"]).toBe(sdkHeaders?.["content-type"]);
  });

  it("send the same body and get the same stream", async () => {
    const streams = [];
    for (const [, provider] of providers) {
      upstream.enqueue({
        kind: "reply",
        text: "streamed answer",
        toolCalls: [{ id: "call_2", name: "f", arguments: '{"a":[1,2,3]}' }],
      });
      const chunks = [];
      for await (const chunk of provider.streamChatCompletion(request, call())) {
        chunks.push(withoutId(toJson(ChatCompletionChunkSchema, chunk)));
      }
      streams.push(chunks);
    }
    const [sdkBody, undiciBody] = upstream.chatRequests.map((recorded) => recorded.body);
    expect(undiciBody).toEqual(sdkBody);
    expect(streams[1]).toEqual(streams[0]);
    expect(streams[0]?.length).toBeGreaterThan(5);
  });
});

const failures: [string, Behavior, boolean, SeenError][] = [
  [
    "429 with retry-after",
    {
      kind: "error",
      status: 429,
      headers: { "retry-after": "2" },
      body: { error: { message: "slow down", type: "requests", param: null, code: "rate_limit_exceeded" } },
    },
    false,
    seen("RateLimitError", 429, "slow down", { code: "rate_limit_exceeded", retry: 2 }),
  ],
  [
    "400 with a param",
    {
      kind: "error",
      status: 400,
      body: { error: { message: "bad n", type: "invalid_request_error", param: "n", code: "invalid_value" } },
    },
    false,
    seen("InvalidRequestError", 400, "bad n", { code: "invalid_value", param: "n" }),
  ],
  [
    "401",
    {
      kind: "error",
      status: 401,
      body: {
        error: {
          message: "Incorrect API key provided: sk-abc",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      },
    },
    false,
    seen("AuthenticationError", 401, "OpenAI refused the server's OPENAI_API_KEY.", {
      code: "upstream_authentication",
    }),
  ],
  [
    "409, a status the table does not name",
    {
      kind: "error",
      status: 409,
      body: { error: { message: "conflict", type: "invalid_request_error", param: null, code: null } },
    },
    false,
    seen("UpstreamError", 502, "OpenAI failed with status 409: conflict"),
  ],
  [
    "a 502 in plain text from a proxy",
    { kind: "error", status: 502, body: "Bad Gateway" },
    false,
    seen("UpstreamError", 502, "OpenAI failed with status 502: Bad Gateway"),
  ],
  ["a cut connection", { kind: "cut" }, false, seen("APIConnectionError", 502, "Could not reach OpenAI.")],
  [
    "an answer that is not JSON",
    { kind: "error", status: 200, body: "not json" },
    false,
    seen("UpstreamError", 502, "OpenAI answered with something that is not JSON."),
  ],
  [
    "an answer that is not JSON, sent as JSON",
    { kind: "error", status: 200, body: "not json", headers: { "content-type": "application/json" } },
    false,
    seen("UpstreamError", 502, "OpenAI answered with something that is not JSON."),
  ],
  [
    "a stream event that is not JSON",
    { kind: "raw-sse", body: "data: not json\n\n" },
    true,
    seen("UpstreamError", 502, "OpenAI sent a stream event that is not JSON."),
  ],
  [
    "an error event mid-stream",
    {
      kind: "midstream-error",
      afterChunks: 2,
      error: { error: { message: "boom", type: "server_error", param: null, code: null } },
    },
    true,
    seen("UpstreamError", 502, "OpenAI failed while streaming: boom"),
  ],
];

describe.each(failures)("both exchanges on %s", (_name, behavior, streaming, expected) => {
  it("raise the same error, the one the table gives", async () => {
    const errors = [];
    for (const [, provider] of providers) {
      upstream.enqueue(behavior);
      const request = requests["a plain question"];
      const outcome = streaming
        ? (async () => {
            for await (const _chunk of provider.streamChatCompletion(request, call())) {
              // drain
            }
          })()
        : provider.createChatCompletion(request, call());
      errors.push(
        describeError(
          await outcome.then(
            () => undefined,
            (error: unknown) => error,
          ),
        ),
      );
    }
    expect(errors).toEqual([expected, expected]);
  });
});

describe("both exchanges", () => {
  it("list the same models", async () => {
    const lists = [];
    for (const [, provider] of providers) lists.push(await provider.listModels(new AbortController().signal));
    expect(lists[1]).toEqual(lists[0]);
  });

  it("abort the upstream request when the caller's signal fires", async () => {
    for (const [, provider] of providers) {
      upstream.reset();
      upstream.enqueue({ kind: "hang" });
      const controller = new AbortController();
      const pending = provider.createChatCompletion(requests["a plain question"], {
        modelId: "gpt-4o",
        signal: controller.signal,
      });
      while (upstream.chatRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      expect(describeError(await pending.catch((error: unknown) => error))).toEqual(canceledByCaller);
      await upstream.chatRequests[0]?.whenAborted;
    }
  });
});

describe("both exchanges with a short timeout", () => {
  const TIMEOUT_MS = 1_000;
  let patient: [string, OpenAIProvider][];

  beforeAll(() => {
    const options = { apiKey: FAKE_OPENAI_KEY, baseURL: upstream.baseURL, timeoutMs: TIMEOUT_MS };
    patient = [
      ["sdk", new OpenAIProvider(createOpenAISdkExchange(options))],
      ["undici", new OpenAIProvider(createOpenAIUndiciExchange(options))],
    ];
  });

  const drain = async (provider: OpenAIProvider, words: number) => {
    const request = parseChatRequest({
      model: "gpt-4o",
      messages: [{ role: "user", content: Array.from({ length: words }, (_, index) => `w${index}`).join(" ") }],
    }).request;
    let text = "";
    for await (const chunk of provider.streamChatCompletion(request, call())) {
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    return text;
  };

  it("raise the same TimeoutError when the answer does not begin in time", async () => {
    const errors = [];
    for (const [, provider] of patient) {
      upstream.enqueue({ kind: "reply", delayMs: 10 * TIMEOUT_MS });
      errors.push(
        describeError(
          await provider.createChatCompletion(requests["a plain question"], call()).catch((e: unknown) => e),
        ),
      );
    }
    expect(errors).toEqual([notInTime, notInTime]);
  });

  it("raise the same TimeoutError when a stream's next chunk does not come in time", async () => {
    const errors = [];
    for (const [, provider] of patient) {
      upstream.enqueue({ kind: "reply", chunkDelayMs: 10 * TIMEOUT_MS });
      errors.push(describeError(await drain(provider, 3).catch((e: unknown) => e)));
    }
    expect(errors).toEqual([notInTime, notInTime]);
    await Promise.all(upstream.chatRequests.map((recorded) => recorded.whenAborted));
  });

  it("finish a stream whose chunks each come in time though the whole takes longer", async () => {
    for (const [, provider] of patient) {
      // 30 words with 50 ms after each chunk: longer than the timeout in all.
      upstream.enqueue({ kind: "reply", chunkDelayMs: 50 });
      expect(await drain(provider, 30)).toBe(
        `You said: ${Array.from({ length: 30 }, (_, index) => `w${index}`).join(" ")}`,
      );
    }
  });
});

describe("both exchanges for embeddings", () => {
  const request = create(CreateEmbeddingsRequestSchema, {
    model: "text-embedding-3-small",
    input: ["first text", "second"],
    dimensions: 16,
    user: "user-1",
  });
  const embedCall = () => ({ modelId: "text-embedding-3-small", signal: new AbortController().signal });

  it("send the same body and get the same vectors", async () => {
    const answers = [];
    for (const [, provider] of providers) {
      answers.push(toJson(CreateEmbeddingsResponseSchema, await provider.createEmbeddings(request, embedCall())));
    }
    const [sdkBody, undiciBody] = upstream.embeddingsRequests.map((recorded) => recorded.body);
    expect(undiciBody).toEqual(sdkBody);
    expect(sdkBody).toEqual({
      model: "text-embedding-3-small",
      input: ["first text", "second"],
      encoding_format: "base64",
      dimensions: 16,
      user: "user-1",
    });
    expect(answers[1]).toEqual(answers[0]);
  });

  it.each(failures.filter(([, , streaming]) => !streaming))(
    "raise the same error on %s, the one the table gives",
    async (_name, behavior, _streaming, expected) => {
      const errors = [];
      for (const [, provider] of providers) {
        upstream.enqueue(behavior);
        errors.push(
          describeError(await provider.createEmbeddings(request, embedCall()).catch((error: unknown) => error)),
        );
      }
      expect(errors).toEqual([expected, expected]);
    },
  );
});
