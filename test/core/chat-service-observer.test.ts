import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type ChatCompletionChunk, ChatCompletionRequestSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import type { CallObserver, ChatObserver, ChatOperation, TransportProtocol } from "../../src/core/chat-observer.js";
import { type CallContext, ChatService } from "../../src/core/chat-service.js";
import { AuthenticationError, type GatewayError, RateLimitError, TimeoutError } from "../../src/core/errors.js";
import { silentLogger } from "../../src/core/logger.js";
import { ModelCatalog } from "../../src/core/model-catalog.js";
import type { ProviderName } from "../../src/core/model-router.js";
import { chunksOf, routesOf, ScriptedProvider, textChunks } from "../helpers/scripted-provider.js";

type Event =
  | ["begin", TransportProtocol, ChatOperation]
  | ["routed", ProviderName, string]
  | ["firstChunk"]
  | ["usage", number, number]
  | ["end", string]
  | ["upstreamFailed", ProviderName, string];

/** Writes down what the core tells it, in order. */
class RecordingObserver implements ChatObserver {
  readonly events: Event[] = [];
  readonly seconds: number[] = [];

  begin(protocol: TransportProtocol, operation: ChatOperation): CallObserver {
    this.events.push(["begin", protocol, operation]);
    return {
      routed: (provider, model) => this.events.push(["routed", provider, model]),
      // Attempts and fallbacks: try-targets.test.ts.
      attempted: () => {},
      fellBack: () => {},
      firstChunk: (seconds) => {
        this.seconds.push(seconds);
        this.events.push(["firstChunk"]);
      },
      usage: (usage) => this.events.push(["usage", usage.promptTokens, usage.completionTokens]),
      end: (seconds, error?: GatewayError) => {
        this.seconds.push(seconds);
        this.events.push(["end", error?.name ?? "ok"]);
      },
    };
  }

  upstreamFailed(provider: ProviderName, error: GatewayError): void {
    this.events.push(["upstreamFailed", provider, error.name]);
  }

  retried(): void {}

  cooledDown(): void {}
}

function setup(providers: ScriptedProvider[]) {
  const observer = new RecordingObserver();
  const routes = routesOf(providers);
  const catalog = new ModelCatalog(() => routes, silentLogger, observer);
  const chat = new ChatService({ routes: () => routes, catalog, observer });
  return { chat, observer };
}

const request = (init: { model?: string; includeUsage?: boolean; messages?: [] } = {}) =>
  create(ChatCompletionRequestSchema, {
    model: init.model ?? "gpt-4o",
    messages: init.messages ?? [{ role: "user", content: "Hello" }],
    ...(init.includeUsage === undefined ? {} : { streamOptions: { includeUsage: init.includeUsage } }),
  });

function context(protocol: TransportProtocol = "grpc", signal = new AbortController().signal): CallContext {
  return { protocol, signal, logger: silentLogger };
}

async function drain(chunks: AsyncIterable<ChatCompletionChunk>): Promise<unknown> {
  try {
    for await (const _chunk of chunks);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("what ChatService tells its observer", () => {
  it("a unary call: its protocol, route, usage and success", async () => {
    const { chat, observer } = setup([new ScriptedProvider("openai")]);
    await chat.createChatCompletion(request({ model: "openai/gpt-4o" }), context("connect"));
    expect(observer.events).toEqual([
      ["begin", "connect", "chat"],
      ["routed", "openai", "gpt-4o"],
      ["usage", 3, 2],
      ["end", "ok"],
    ]);
    expect(observer.seconds[0]).toBeGreaterThanOrEqual(0);
  });

  it("a stream's first chunk once, and its usage even when the caller did not ask for it", async () => {
    const { chat, observer } = setup([new ScriptedProvider("bedrock")]);
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of chat.streamChatCompletion(request({ model: "bedrock/m" }), context("grpc_web"))) {
      chunks.push(chunk);
    }
    expect(chunks.some((chunk) => chunk.usage !== undefined)).toBe(false);
    expect(observer.events).toEqual([
      ["begin", "grpc_web", "chat_stream"],
      ["routed", "bedrock", "m"],
      ["firstChunk"],
      ["usage", 3, 1],
      ["end", "ok"],
    ]);
    const [firstChunk = -1, end = -1] = observer.seconds;
    expect(end).toBeGreaterThanOrEqual(firstChunk);
  });

  it("a request refused before routing, with no route and no upstream failure", async () => {
    const { chat, observer } = setup([new ScriptedProvider("openai")]);
    await expect(chat.createChatCompletion(request({ messages: [] }), context())).rejects.toThrow();
    await drain(chat.streamChatCompletion(request({ model: "bedrock/" }), context()));
    expect(observer.events).toEqual([
      ["begin", "grpc", "chat"],
      ["end", "InvalidRequestError"],
      ["begin", "grpc", "chat_stream"],
      ["end", "InvalidRequestError"],
    ]);
  });

  it("a model whose provider is not configured: routed, then ConfigurationError, not an upstream failure", async () => {
    const { chat, observer } = setup([new ScriptedProvider("openai")]);
    await expect(chat.createChatCompletion(request({ model: "amazon.nova-pro-v1:0" }), context())).rejects.toThrow();
    expect(observer.events).toEqual([
      ["begin", "grpc", "chat"],
      ["routed", "bedrock", "amazon.nova-pro-v1:0"],
      ["end", "ConfigurationError"],
    ]);
  });

  it("a provider's failure as an upstream failure and the call's outcome", async () => {
    const openai = new ScriptedProvider("openai", { answer: () => Promise.reject(new RateLimitError("slow down")) });
    const { chat, observer } = setup([openai]);
    await expect(chat.createChatCompletion(request(), context())).rejects.toBeInstanceOf(RateLimitError);
    expect(observer.events.slice(2)).toEqual([
      ["upstreamFailed", "openai", "RateLimitError"],
      ["end", "RateLimitError"],
    ]);
  });

  it("a stream that breaks midway, once", async () => {
    const openai = new ScriptedProvider("openai", {
      async *stream(_request, call) {
        yield* chunksOf(textChunks(call.modelId, ["Hel"]).slice(0, 2));
        throw new TimeoutError("upstream stalled");
      },
    });
    const { chat, observer } = setup([openai]);
    expect(await drain(chat.streamChatCompletion(request(), context()))).toBeInstanceOf(TimeoutError);
    expect(observer.events.slice(2)).toEqual([
      ["firstChunk"],
      ["upstreamFailed", "openai", "TimeoutError"],
      ["end", "TimeoutError"],
    ]);
  });

  it("a call the caller left as cancelled, not as an upstream failure", async () => {
    const controller = new AbortController();
    const openai = new ScriptedProvider("openai", {
      answer: (_request, call) =>
        new Promise((_resolve, reject) => call.signal.addEventListener("abort", () => reject(new Error("aborted")))),
    });
    const { chat, observer } = setup([openai]);
    const pending = chat.createChatCompletion(request(), context("openai_http", controller.signal));
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(observer.events.slice(2)).toEqual([["end", "CanceledError"]]);
  });

  it("a stream its reader stopped reading as cancelled, once", async () => {
    const { chat, observer } = setup([new ScriptedProvider("openai")]);
    const chunks = chat.streamChatCompletion(request(), context("openai_http"));
    await chunks.next();
    await chunks.return(undefined);
    expect(observer.events.slice(2)).toEqual([["firstChunk"], ["end", "CanceledError"]]);
  });

  it("a model listing, and a provider whose listing fails as an upstream failure", async () => {
    const openai = new ScriptedProvider("openai", {
      models: () => Promise.reject(new AuthenticationError("bad upstream key")),
    });
    const { chat, observer } = setup([openai]);
    await chat.listModels({ protocol: "openai_http" });
    expect(observer.events).toEqual([
      ["begin", "openai_http", "models"],
      ["upstreamFailed", "openai", "AuthenticationError"],
      ["end", "ok"],
    ]);
  });
});
