import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  ListModelsResponse,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { type CallObserver, type ChatObserver, NO_OBSERVER, type TransportProtocol } from "./chat-observer.js";
import { GatewayError } from "./errors.js";
import type { ModelCatalog } from "./model-catalog.js";
import type { ModelRoutes } from "./model-routes.js";
import { observeCall } from "./observe-call.js";
import type { ChatProvider } from "./provider.js";
import { secondsSince } from "./seconds-since.js";
import { type Opened, open, relayOpened } from "./stream-ending.js";
import type { TargetCooldown } from "./target-cooldown.js";
import { type TargetCallContext, TargetTrials } from "./target-trials.js";
import { type Answered, type TargetTrial, tryTargets } from "./try-targets.js";
import { validateChatRequest } from "./validate-request.js";

/** What a transport knows about the call it is serving. */
export interface CallContext extends TargetCallContext {
  /** The wire protocol the call came in on. */
  protocol: TransportProtocol;
}

export interface ChatServiceDeps {
  /** The routing in force; a reload of the models file replaces it, a call keeps the one it began with. */
  routes: () => ModelRoutes;
  catalog: ModelCatalog;
  /**
   * Which targets rest (COOLDOWN_FAILURES, COOLDOWN_SECONDS): one record the
   * server's services share; without it no target rests.
   */
  cooldown?: TargetCooldown;
  /** Told about every call (metrics); nobody by default. */
  observer?: ChatObserver;
  /** Most messages one request may carry; no limit by default. */
  maxMessages?: number;
}

/**
 * The one implementation of ChatService. Every transport (gRPC, gRPC-Web,
 * Connect, the OpenAI HTTP API) calls these methods with the canonical
 * messages; the answer and every error are the same whichever way they came.
 * A model of the models file is tried target after target (tryTargets).
 */
export class ChatService {
  readonly #deps: ChatServiceDeps;
  readonly #observer: ChatObserver;
  readonly #trials: TargetTrials;

  constructor(deps: ChatServiceDeps) {
    this.#deps = deps;
    this.#observer = deps.observer ?? NO_OBSERVER;
    this.#trials = new TargetTrials(deps.routes, deps.cooldown, this.#observer);
  }

  createChatCompletion(request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResponse> {
    return observeCall(this.#observer, context.protocol, "chat", async (observed) => {
      const trial = this.#trial(request, context, observed);
      const { answer } = await tryTargets(trial, (provider, call) => provider.createChatCompletion(request, call));
      if (answer.usage !== undefined) observed.usage(answer.usage);
      return answer;
    });
  }

  async *streamChatCompletion(
    request: ChatCompletionRequest,
    context: CallContext,
  ): AsyncGenerator<ChatCompletionChunk> {
    const started = performance.now();
    const observed = this.#observer.begin(context.protocol, "chat_stream");
    const includeUsage = request.streamOptions?.includeUsage === true;
    let opened: Answered<Opened<ChatCompletionChunk>>;
    try {
      // A stream may move to the next target only until its first chunk is in hand.
      opened = await tryTargets(this.#trial(request, context, observed), (target, call) =>
        open(target.streamChatCompletion(request, call)),
      );
    } catch (error) {
      const failed = GatewayError.from(error);
      observed.end(secondsSince(started), failed);
      throw failed;
    }
    if (!opened.answer.first.done) observed.firstChunk(secondsSince(started));
    const ending = {
      started,
      observed,
      observer: this.#observer,
      signal: context.signal,
      provider: opened.target.provider,
    };
    yield* relayOpened(opened.answer, ending, (chunk) => {
      if (chunk.usage === undefined) return chunk;
      // Counted whether or not the caller asked to see it.
      observed.usage(chunk.usage);
      if (includeUsage) return chunk;
      if (chunk.choices.length === 0) return undefined;
      chunk.usage = undefined;
      return chunk;
    });
  }

  listModels(context: Pick<CallContext, "protocol">): Promise<ListModelsResponse> {
    return observeCall(this.#observer, context.protocol, "models", async () => {
      const data = await this.#deps.catalog.list();
      return { $typeName: "openbedrock.v1.ListModelsResponse", data };
    });
  }

  #trial(request: ChatCompletionRequest, context: CallContext, observed: CallObserver): TargetTrial<ChatProvider> {
    validateChatRequest(request, this.#deps.maxMessages);
    return this.#trials.of(request.model, context, observed, (registry) => registry);
  }
}
