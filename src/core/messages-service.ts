import type { JsonObject } from "@bufbuild/protobuf";
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../gen/openbedrock/v1/chat_pb.js";
import type { AnthropicModelNames } from "./anthropic-model-names.js";
import { abandoned, callFailure, secondsSince } from "./call-failure.js";
import type { CallObserver, ChatObserver, ChatOperation } from "./chat-observer.js";
import { NO_OBSERVER } from "./chat-observer.js";
import type { CallContext, ChatService } from "./chat-service.js";
import type { GatewayError } from "./errors.js";
import { routeModel } from "./model-router.js";
import type { ChatProvider, MessagesCall, MessagesCapability } from "./provider.js";
import type { ProviderRegistry } from "./provider-registry.js";

/** A Messages request as the caller sent it, and how it reads as a canonical request for other models. */
export interface MessagesRequest {
  /** The body as sent. */
  body: JsonObject;
  model: string;
  /** The flags of the `anthropic-beta` header. */
  betas: readonly string[];
  /** The body read into the canonical request; read only for models that do not take the body as it is. */
  canonical(): ChatCompletionRequest;
  /** The documented estimate of the input tokens, for models whose upstream cannot count them. */
  estimateTokens(): number;
}

/** An answer: the upstream's own Anthropic message, or a canonical answer to be written as one. */
export type MessagesAnswer = { native: JsonObject } | { canonical: ChatCompletionResponse };

/** A stream: the upstream's own Anthropic events, or canonical chunks to be written as them. */
export type MessagesStream =
  | { native: AsyncGenerator<JsonObject> }
  | { canonical: AsyncGenerator<ChatCompletionChunk> };

export interface MessagesServiceDeps {
  chat: ChatService;
  registry: ProviderRegistry;
  names: AnthropicModelNames;
  defaultOpenAIModel: string;
  observer?: ChatObserver;
}

type NativeProvider = ChatProvider & MessagesCapability;

/** Where a request goes: a provider that takes the body as it is, or the canonical way under the routed name. */
type Target = { provider: NativeProvider; modelId: string; name: string } | { provider: undefined; name: string };

function takesBody(provider: ChatProvider, modelId: string): provider is NativeProvider {
  return (
    provider.takesMessagesBody?.(modelId) === true &&
    provider.createMessage !== undefined &&
    provider.streamMessage !== undefined &&
    provider.countMessageTokens !== undefined
  );
}

/**
 * The Anthropic Messages API over the core. Anthropic's model names
 * resolve to Bedrock's; a model whose upstream takes Messages bodies
 * (Claude on Bedrock) gets the body and answers as they are, every other
 * model the canonical request through the chat service. Either way the
 * call is observed as every chat call is.
 */
export class MessagesService {
  readonly #deps: MessagesServiceDeps;
  readonly #observer: ChatObserver;

  constructor(deps: MessagesServiceDeps) {
    this.#deps = deps;
    this.#observer = deps.observer ?? NO_OBSERVER;
  }

  async createMessage(request: MessagesRequest, context: CallContext): Promise<MessagesAnswer> {
    const target = this.#target(request.model);
    if (!target.provider) {
      return { canonical: await this.#deps.chat.createChatCompletion(named(request, target.name), context) };
    }
    const started = performance.now();
    const observed = this.#begin(context, "chat", target);
    try {
      const message = await target.provider.createMessage(request.body, this.#call(request, target, context, observed));
      observed.end(secondsSince(started));
      return { native: message };
    } catch (error) {
      const failed = this.#failure(error, context.signal, target.provider);
      observed.end(secondsSince(started), failed);
      throw failed;
    }
  }

  streamMessage(request: MessagesRequest, context: CallContext): MessagesStream {
    const target = this.#target(request.model);
    if (!target.provider) {
      return { canonical: this.#deps.chat.streamChatCompletion(named(request, target.name), context) };
    }
    return { native: this.#streamNative(request, target, context) };
  }

  /** The input tokens by the upstream's count where it has one for the model, else the estimate. */
  async countTokens(request: MessagesRequest, context: CallContext): Promise<number> {
    const target = this.#target(request.model);
    if (!target.provider) return request.estimateTokens();
    const started = performance.now();
    const observed = this.#begin(context, "count_tokens", target);
    try {
      const counted = await target.provider.countMessageTokens(
        request.body,
        this.#call(request, target, context, observed),
      );
      observed.end(secondsSince(started));
      return counted ?? request.estimateTokens();
    } catch (error) {
      const failed = this.#failure(error, context.signal, target.provider);
      observed.end(secondsSince(started), failed);
      throw failed;
    }
  }

  async *#streamNative(
    request: MessagesRequest,
    target: Extract<Target, { provider: NativeProvider }>,
    context: CallContext,
  ): AsyncGenerator<JsonObject> {
    const started = performance.now();
    const observed = this.#begin(context, "chat_stream", target);
    let failed: GatewayError | undefined;
    let completed = false;
    try {
      let first = true;
      for await (const event of target.provider.streamMessage(
        request.body,
        this.#call(request, target, context, observed),
      )) {
        if (first) {
          first = false;
          observed.firstChunk(secondsSince(started));
        }
        yield event;
      }
      completed = true;
    } catch (error) {
      failed = this.#failure(error, context.signal, target.provider);
      throw failed;
    } finally {
      observed.end(secondsSince(started), completed ? undefined : (failed ?? abandoned(context.signal)));
    }
  }

  #target(model: string): Target {
    const name = this.#deps.names.resolve(model);
    const route = routeModel(name, this.#deps.defaultOpenAIModel);
    const provider = this.#deps.registry.get(route.provider);
    return takesBody(provider, route.modelId)
      ? { provider, modelId: route.modelId, name }
      : { provider: undefined, name };
  }

  #begin(
    context: CallContext,
    operation: ChatOperation,
    target: Extract<Target, { provider: NativeProvider }>,
  ): CallObserver {
    const observed = this.#observer.begin(context.protocol, operation);
    observed.routed(target.provider.name, target.modelId);
    context.logger?.debug({ model: target.name, provider: target.provider.name, native: true }, "routed");
    return observed;
  }

  #call(
    request: MessagesRequest,
    target: Extract<Target, { provider: NativeProvider }>,
    context: CallContext,
    observed: CallObserver,
  ): MessagesCall {
    return {
      modelId: target.modelId,
      signal: context.signal,
      betas: request.betas,
      usage: (usage) => observed.usage(usage),
    };
  }

  #failure(error: unknown, signal: AbortSignal, provider: ChatProvider): GatewayError {
    return callFailure(error, signal, (failed) => this.#observer.upstreamFailed(provider.name, failed));
  }
}

/** The canonical request under the name the model routes by. */
function named(request: MessagesRequest, name: string): ChatCompletionRequest {
  const canonical = request.canonical();
  canonical.model = name;
  return canonical;
}
