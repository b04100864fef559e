import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { type CallContext, ChatService } from "../../src/core/chat-service.js";
import {
  CanceledError,
  ConfigurationError,
  GatewayError,
  InternalError,
  InvalidRequestError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from "../../src/core/errors.js";
import { silentLogger } from "../../src/core/logger.js";
import { ModelCatalog } from "../../src/core/model-catalog.js";
import {
  type ChunkInit,
  chunksOf,
  model,
  routesOf,
  ScriptedProvider,
  textChunks,
} from "../helpers/scripted-provider.js";

const DEFAULT_MODEL = "gpt-4o-mini";

function service(providers: ScriptedProvider[]): ChatService {
  const routes = routesOf(providers, { defaultOpenAIModel: DEFAULT_MODEL });
  const catalog = new ModelCatalog(() => routes, silentLogger);
  return new ChatService({ routes: () => routes, catalog });
}

type RequestInit = Exclude<MessageInitShape<typeof ChatCompletionRequestSchema>, ChatCompletionRequest>;

function request(init: Partial<RequestInit> = {}) {
  return create(ChatCompletionRequestSchema, {
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hello" }],
    ...init,
  });
}

function context(signal: AbortSignal = new AbortController().signal): CallContext {
  return { protocol: "openai_http", signal, logger: silentLogger };
}

async function collect(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const all: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

async function failureOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw new Error(`not a GatewayError: ${String(error)}`);
  }
  throw new Error("it succeeded");
}

/** A provider call that never answers, and fails the way an SDK does when its signal fires. */
function untilAborted<T>(signal: AbortSignal, failure: () => unknown): Promise<T> {
  return new Promise<T>((_resolve, reject) => {
    if (signal.aborted) reject(failure());
    signal.addEventListener("abort", () => reject(failure()), { once: true });
  });
}

describe("ChatService routing", () => {
  it.each([
    ["gpt-4o", "openai", "gpt-4o"],
    ["openai/meta-llama/Llama-3.1-8B", "openai", "meta-llama/Llama-3.1-8B"],
    ["", "openai", DEFAULT_MODEL],
    ["anthropic.claude-3-haiku-20240307-v1:0", "bedrock", "anthropic.claude-3-haiku-20240307-v1:0"],
    ["us.amazon.nova-pro-v1:0", "bedrock", "us.amazon.nova-pro-v1:0"],
    ["bedrock/my-model", "bedrock", "my-model"],
  ])("sends the model %j to %s as %j", async (modelName, provider, modelId) => {
    const openai = new ScriptedProvider("openai");
    const bedrock = new ScriptedProvider("bedrock");
    const answer = await service([openai, bedrock]).createChatCompletion(request({ model: modelName }), context());
    expect(answer.choices[0]?.message?.content).toBe(`answered by ${provider}`);
    const called = provider === "openai" ? openai : bedrock;
    const other = provider === "openai" ? bedrock : openai;
    expect(called.calls).toHaveLength(1);
    expect(called.calls[0]?.call.modelId).toBe(modelId);
    expect(other.calls).toHaveLength(0);
  });

  it("hands the provider the caller's request and signal", async () => {
    const openai = new ScriptedProvider("openai");
    const signal = new AbortController().signal;
    const chatRequest = request({ temperature: 0.5 });
    await service([openai]).createChatCompletion(chatRequest, context(signal));
    expect(openai.calls[0]?.request).toBe(chatRequest);
    expect(openai.calls[0]?.call.signal).toBe(signal);
  });

  it("routes a stream the same way", async () => {
    const openai = new ScriptedProvider("openai");
    const bedrock = new ScriptedProvider("bedrock");
    const chunks = await collect(
      service([openai, bedrock]).streamChatCompletion(request({ model: "bedrock/x" }), context()),
    );
    expect(chunks.length).toBeGreaterThan(0);
    expect(bedrock.calls[0]?.call.modelId).toBe("x");
    expect(openai.calls).toHaveLength(0);
  });

  it("refuses a model whose provider is not configured with a ConfigurationError", async () => {
    const openai = new ScriptedProvider("openai");
    const chat = service([openai]);
    const error = await failureOf(
      chat.createChatCompletion(request({ model: "anthropic.claude-3-haiku-20240307-v1:0" }), context()),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.httpStatus).toBe(503);
    expect(error.grpcCode).toBe(Code.FailedPrecondition);
    expect(error.code).toBe("provider_not_configured");
    expect(error.message).toContain("bedrock");
    const streamed = await failureOf(collect(chat.streamChatCompletion(request({ model: "bedrock/x" }), context())));
    expect(streamed).toBeInstanceOf(ConfigurationError);
    expect(openai.calls).toHaveLength(0);
  });

  it("refuses OpenAI models when only Bedrock is configured", async () => {
    const error = await failureOf(
      service([new ScriptedProvider("bedrock")]).createChatCompletion(request({ model: "gpt-4o" }), context()),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain("OPENAI_API_KEY");
  });

  it("validates the request before any provider is called", async () => {
    const openai = new ScriptedProvider("openai");
    const chat = service([openai]);
    const error = await failureOf(chat.createChatCompletion(request({ messages: [] }), context()));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.param).toBe("messages");
    const streamed = await failureOf(collect(chat.streamChatCompletion(request({ temperature: 9 }), context())));
    expect(streamed.param).toBe("temperature");
    const bare = await failureOf(chat.createChatCompletion(request({ model: "bedrock/" }), context()));
    expect(bare.param).toBe("model");
    expect(openai.calls).toHaveLength(0);
  });
});

describe("ChatService streaming usage", () => {
  const base = { id: "chatcmpl-u", created: 1n, model: "m" };
  // Some providers put usage on the finishing chunk rather than on a chunk of its own.
  const usageOnFinish: ChunkInit[] = [
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }] },
    {
      ...base,
      choices: [{ index: 0, delta: {}, finishReason: "stop" }],
      usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
    },
  ];

  async function stream(chunks: ChunkInit[], streamOptions?: { includeUsage: boolean }) {
    const openai = new ScriptedProvider("openai", { stream: () => chunksOf(chunks) });
    return collect(service([openai]).streamChatCompletion(request(streamOptions ? { streamOptions } : {}), context()));
  }

  it("drops the usage chunk when the caller did not ask for usage", async () => {
    const chunks = await stream(textChunks("m", ["Hel", "lo"]));
    expect(chunks).toHaveLength(4);
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
  });

  it("drops it when include_usage is false", async () => {
    const chunks = await stream(textChunks("m", ["Hello"]), { includeUsage: false });
    expect(chunks).toHaveLength(3);
    expect(chunks.some((chunk) => chunk.usage !== undefined)).toBe(false);
  });

  it("passes the usage chunk on when include_usage is true", async () => {
    const chunks = await stream(textChunks("m", ["Hel", "lo"]), { includeUsage: true });
    expect(chunks).toHaveLength(5);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ promptTokens: 3, completionTokens: 2, totalTokens: 5 });
  });

  it("keeps a chunk with choices but strips its usage when usage was not asked for", async () => {
    const chunks = await stream(usageOnFinish);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]?.choices[0]?.finishReason).toBe("stop");
    expect(chunks[1]?.usage).toBeUndefined();
  });

  it("keeps usage on a chunk with choices when usage was asked for", async () => {
    const chunks = await stream(usageOnFinish, { includeUsage: true });
    expect(chunks[1]?.usage?.totalTokens).toBe(2);
  });
});

describe("ChatService failures", () => {
  it("passes a provider's GatewayError on unchanged", async () => {
    const limited = new RateLimitError("slow down", { retryAfterSeconds: 2 });
    const openai = new ScriptedProvider("openai", { answer: () => Promise.reject(limited) });
    expect(await failureOf(service([openai]).createChatCompletion(request(), context()))).toBe(limited);
  });

  it("turns anything else a provider throws into a generic internal error", async () => {
    const openai = new ScriptedProvider("openai", {
      answer: () => Promise.reject(new TypeError("x is undefined; key sk-proj-Ab12Cd34Ef56Gh78")),
    });
    const error = await failureOf(service([openai]).createChatCompletion(request(), context()));
    expect(error).toBeInstanceOf(InternalError);
    expect(error.message).toBe("The server failed to process the request.");
  });

  it("ends a stream that fails midway with the mapped error, after the chunks before it", async () => {
    const openai = new ScriptedProvider("openai", {
      async *stream(_request, call) {
        yield* chunksOf(textChunks(call.modelId, ["Hello"]).slice(0, 2));
        throw new Error("stream broke");
      },
    });
    const seen: ChatCompletionChunk[] = [];
    const error = await failureOf(
      (async () => {
        for await (const chunk of service([openai]).streamChatCompletion(request(), context())) seen.push(chunk);
      })(),
    );
    expect(seen).toHaveLength(2);
    expect(error).toBeInstanceOf(InternalError);
  });
});

describe("ChatService cancellation", () => {
  it("reports a call whose caller went away as CanceledError, whatever the SDK threw", async () => {
    const controller = new AbortController();
    const openai = new ScriptedProvider("openai", {
      answer: (_request, call) => untilAborted(call.signal, () => new Error("socket hang up")),
    });
    const pending = service([openai]).createChatCompletion(request(), context(controller.signal));
    controller.abort();
    const error = await failureOf(pending);
    expect(error).toBeInstanceOf(CanceledError);
    expect(error.grpcCode).toBe(Code.Canceled);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("reports the signal's GatewayError reason when it has one", async () => {
    const controller = new AbortController();
    const deadline = new TimeoutError("The deadline passed.");
    const openai = new ScriptedProvider("openai", {
      answer: (_request, call) => untilAborted(call.signal, () => new CanceledError("aborted upstream call")),
    });
    const pending = service([openai]).createChatCompletion(request(), context(controller.signal));
    controller.abort(deadline);
    expect(await failureOf(pending)).toBe(deadline);
  });

  it("reports a provider's CanceledError after the abort as the caller's cancellation", async () => {
    const controller = new AbortController();
    const openai = new ScriptedProvider("openai", {
      answer: (_request, call) => untilAborted(call.signal, () => new CanceledError("the SDK call was aborted")),
    });
    const pending = service([openai]).createChatCompletion(request(), context(controller.signal));
    controller.abort();
    const error = await failureOf(pending);
    expect(error).toBeInstanceOf(CanceledError);
    expect(error.message).toBe("The request was cancelled by the caller.");
  });

  it("reports a stream cancelled midway as CanceledError", async () => {
    const controller = new AbortController();
    const openai = new ScriptedProvider("openai", {
      async *stream(_request, call) {
        yield* chunksOf(textChunks(call.modelId, []).slice(0, 1));
        await untilAborted(call.signal, () => new DOMException("This operation was aborted", "AbortError"));
      },
    });
    const chunks = service([openai]).streamChatCompletion(request(), context(controller.signal));
    const first = await chunks.next();
    expect(first.done).toBe(false);
    const next = chunks.next();
    controller.abort();
    expect(await failureOf(next)).toBeInstanceOf(CanceledError);
  });

  it("reports a stream's signal reason when it is a GatewayError", async () => {
    const controller = new AbortController();
    const shutdown = new UpstreamError("The server is shutting down.");
    const openai = new ScriptedProvider("openai", {
      async *stream(_request, call) {
        await untilAborted(call.signal, () => new Error("aborted"));
      },
    });
    const pending = collect(service([openai]).streamChatCompletion(request(), context(controller.signal)));
    controller.abort(shutdown);
    expect(await failureOf(pending)).toBe(shutdown);
  });
});

describe("ChatService.listModels", () => {
  it("answers the catalog's models as a ListModelsResponse", async () => {
    const openai = new ScriptedProvider("openai", { models: () => Promise.resolve([model("gpt-4o", "openai")]) });
    const bedrock = new ScriptedProvider("bedrock", {
      models: () => Promise.resolve([model("anthropic.claude-3-haiku-20240307-v1:0", "anthropic")]),
    });
    const list = await service([openai, bedrock]).listModels({ protocol: "grpc" });
    expect(list.$typeName).toBe("openbedrock.v1.ListModelsResponse");
    expect(list.data.map((entry) => entry.id)).toEqual(["gpt-4o", "anthropic.claude-3-haiku-20240307-v1:0"]);
  });
});
