import type { JsonObject } from "@bufbuild/protobuf";
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { type CallObserver, type ChatObserver, NO_OBSERVER } from "./chat-observer.js";
import type { CallContext } from "./chat-service.js";
import { GatewayError } from "./errors.js";
import type { ModelNameTable, ModelRoutes } from "./model-routes.js";
import { observeCall } from "./observe-call.js";
import type { ChatProvider, MessagesCall, MessagesCapability, ProviderCall } from "./provider.js";
import { secondsSince } from "./seconds-since.js";
import { type Opened, open, relayOpened } from "./stream-ending.js";
import type { TargetCooldown } from "./target-cooldown.js";
import { TargetTrials } from "./target-trials.js";
import { type TargetTrial, tryTargets } from "./try-targets.js";
import { checkMessageCount, validateChatRequest } from "./validate-request.js";

/** A Messages request as the caller sent it, and how it reads as a canonical request for other models. */
export interface MessagesRequest {
  /** The body as sent. */
  body: JsonObject;
  model: string;
  /** The flags of the `anthropic-beta` header. */
  betas: readonly string[];
  /** The body read into the canonical request; read only for a model that does not take the body as it is. */
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
  /** The routing in force; a reload of the models file replaces it, a call keeps the one it began with. */
  routes: () => ModelRoutes;
  /** Anthropic's public model names; the models file's `anthropic_models` override them. */
  names: ModelNameTable;
  /** Which targets rest: the record the server's services share; without it no target rests. */
  cooldown?: TargetCooldown;
  observer?: ChatObserver;
  /** Most messages one canonical request may carry; no limit by default. */
  maxMessages?: number;
}

type NativeProvider = ChatProvider & MessagesCapability;

function takesBody(provider: ChatProvider, modelId: string): provider is NativeProvider {
  return (
    provider.takesMessagesBody?.(modelId) === true &&
    provider.createMessage !== undefined &&
    provider.streamMessage !== undefined &&
    provider.countMessageTokens !== undefined
  );
}

type OpenedStream = ({ native: true } & Opened<JsonObject>) | ({ native: false } & Opened<ChatCompletionChunk>);

/**
 * The Anthropic Messages API over the core. A model is resolved as on
 * every route, with Anthropic's public names besides (and the models
 * file's names, fallbacks and cooldown); a target whose upstream takes
 * Messages bodies itself (Claude on Bedrock) gets the caller's body and
 * gives back its own answer and events, every other target the canonical
 * request. Calls are observed as every chat call is.
 */
export class MessagesService {
  readonly #deps: MessagesServiceDeps;
  readonly #observer: ChatObserver;
  readonly #trials: TargetTrials;

  constructor(deps: MessagesServiceDeps) {
    this.#deps = deps;
    this.#observer = deps.observer ?? NO_OBSERVER;
    this.#trials = new TargetTrials(deps.routes, deps.cooldown, this.#observer);
  }

  createMessage(request: MessagesRequest, context: CallContext): Promise<MessagesAnswer> {
    const canonical = this.#canonical(request);
    return observeCall(this.#observer, context.protocol, "chat", async (observed) => {
      const { answer } = await tryTargets(
        this.#trial(request, context, observed),
        async (provider, call): Promise<MessagesAnswer> => {
          if (takesBody(provider, call.modelId)) {
            return { native: await provider.createMessage(request.body, messagesCall(request, call, observed)) };
          }
          const response = await provider.createChatCompletion(canonical(), call);
          if (response.usage !== undefined) observed.usage(response.usage);
          return { canonical: response };
        },
      );
      return answer;
    });
  }

  /**
   * Opens the stream: resolves once the first event is in hand (a target
   * may fail over to the next until then), so a failure to start is thrown
   * before anything reaches the caller.
   */
  async streamMessage(request: MessagesRequest, context: CallContext): Promise<MessagesStream> {
    const started = performance.now();
    const observed = this.#observer.begin(context.protocol, "chat_stream");
    const canonical = this.#canonical(request);
    let opened: OpenedStream;
    let provider: string;
    try {
      const answered = await tryTargets(
        this.#trial(request, context, observed),
        async (target, call): Promise<OpenedStream> =>
          takesBody(target, call.modelId)
            ? {
                native: true,
                ...(await open(target.streamMessage(request.body, messagesCall(request, call, observed)))),
              }
            : { native: false, ...(await open(target.streamChatCompletion(canonical(), call))) },
      );
      opened = answered.answer;
      provider = answered.target.provider;
    } catch (error) {
      const failed = GatewayError.from(error);
      observed.end(secondsSince(started), failed);
      throw failed;
    }
    if (!opened.first.done) observed.firstChunk(secondsSince(started));
    const ending = { started, observed, observer: this.#observer, signal: context.signal, provider };
    if (opened.native) return { native: relayOpened(opened, ending) };
    return {
      canonical: relayOpened(opened, ending, (chunk) => {
        if (chunk.usage !== undefined) observed.usage(chunk.usage);
        return chunk;
      }),
    };
  }

  /** The input tokens by the upstream's count where it has one for the model, else the estimate. */
  countTokens(request: MessagesRequest, context: CallContext): Promise<number> {
    return observeCall(this.#observer, context.protocol, "count_tokens", async (observed) => {
      const { answer } = await tryTargets(this.#trial(request, context, observed), async (provider, call) =>
        takesBody(provider, call.modelId)
          ? provider.countMessageTokens(request.body, messagesCall(request, call, observed))
          : undefined,
      );
      return answer ?? request.estimateTokens();
    });
  }

  #trial(request: MessagesRequest, context: CallContext, observed: CallObserver): TargetTrial<ChatProvider> {
    // The limit holds for bodies that go up as they are too.
    const messages = request.body.messages;
    if (Array.isArray(messages)) checkMessageCount(messages.length, this.#deps.maxMessages);
    return this.#trials.of(request.model, context, observed, (registry) => registry, this.#deps.names);
  }

  /** The canonical request, read and checked once, when a target first needs it. */
  #canonical(request: MessagesRequest): () => ChatCompletionRequest {
    let read: ChatCompletionRequest | undefined;
    return () => {
      if (read === undefined) {
        read = request.canonical();
        validateChatRequest(read, this.#deps.maxMessages);
      }
      return read;
    };
  }
}

/** A target's call with what a Messages body needs besides: the beta flags, and where the usage goes. */
function messagesCall(request: MessagesRequest, call: ProviderCall, observed: CallObserver): MessagesCall {
  return { ...call, betas: request.betas, usage: (usage) => observed.usage(usage) };
}
