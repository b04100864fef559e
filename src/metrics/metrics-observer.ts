import type { Usage } from "../../gen/openbedrock/v1/chat_pb.js";
import type {
  CallObserver,
  ChatObserver,
  ChatOperation,
  TransportProtocol,
  TriedTarget,
} from "../core/chat-observer.js";
import type { GatewayError } from "../core/errors.js";
import type { ModelRoute, ProviderName } from "../core/model-router.js";
import { NO_PROVIDER } from "../core/model-router.js";
import { type CallKind, type CallTables, type CallTarget, NO_MODEL, OK } from "./call-series.js";

/** Turns the core's account of calls into counts and durations in the records of the tables. */
export class MetricsObserver implements ChatObserver {
  readonly #tables: CallTables;

  constructor(tables: CallTables) {
    this.#tables = tables;
  }

  begin(protocol: TransportProtocol, operation: ChatOperation): CallObserver {
    const kind = this.#tables.kinds[protocol][operation];
    kind.inFlight += 1;
    return new MetricsCall(this.#tables, kind);
  }

  upstreamFailed(provider: ProviderName, error: GatewayError): void {
    this.#tables.upstreamError(provider, error.name).count += 1;
  }

  retried(provider: ProviderName, error: GatewayError): void {
    this.#tables.retry(provider, error.name).count += 1;
  }

  cooledDown(target: ModelRoute): void {
    // Only the models file's targets rest: a bounded set, each with its own label.
    const model = this.#tables.models(target.provider).admit(target.modelId);
    this.#tables.cooldown(target.provider, model).count += 1;
  }
}

/** One call: where it went, and the records it counts in once that is known. */
class MetricsCall implements CallObserver {
  readonly #tables: CallTables;
  readonly #kind: CallKind;
  #provider: ProviderName | undefined;
  #model = NO_MODEL;
  #target: CallTarget | undefined;

  constructor(tables: CallTables, kind: CallKind) {
    this.#tables = tables;
    this.#kind = kind;
  }

  routed(provider: ProviderName, model: string): void {
    this.#provider = provider;
    this.#model = model;
  }

  attempted(target: TriedTarget, error?: GatewayError): void {
    const { provider } = target.route;
    this.#tables.attempt(provider, this.#targetModel(target, error === undefined), error?.name ?? OK).count += 1;
  }

  fellBack(target: TriedTarget, error: GatewayError): void {
    this.#tables.fallback(target.route.provider, this.#targetModel(target, false), error.name).count += 1;
  }

  firstChunk(seconds: number): void {
    this.#answered().firstChunk.observe(seconds);
  }

  usage(usage: Usage): void {
    const tokens = this.#answered().tokens();
    if (tokens === undefined) return;
    // Counters only go up; a nonsensical negative count is left out.
    if (usage.promptTokens > 0) tokens.prompt += usage.promptTokens;
    if (usage.completionTokens > 0) tokens.completion += usage.completionTokens;
    const details = usage.promptTokensDetails;
    if (details === undefined) return;
    if (details.cachedTokens > 0) tokens.cacheRead += details.cachedTokens;
    if ((details.cacheWriteTokens ?? 0) > 0) tokens.cacheWrite += details.cacheWriteTokens ?? 0;
  }

  end(seconds: number, error?: GatewayError): void {
    this.#kind.inFlight -= 1;
    const target = this.#target ?? this.#resolve(error === undefined);
    target.outcome(error === undefined ? OK : error.name).histogram.observe(seconds);
  }

  /** A target's model label: its own when the models file names it (a bounded set) or when it answered. */
  #targetModel(target: TriedTarget, answered: boolean): string {
    const models = this.#tables.models(target.route.provider);
    return target.listed || answered ? models.admit(target.route.modelId) : models.lookup(target.route.modelId);
  }

  /** The call's records, now that the provider has answered for its model. */
  #answered(): CallTarget {
    return this.#target ?? this.#resolve(true);
  }

  #resolve(answered: boolean): CallTarget {
    const provider = this.#provider;
    if (provider === undefined) {
      this.#target = this.#kind.target(NO_PROVIDER, NO_MODEL);
    } else {
      const models = this.#tables.models(provider);
      const model = answered ? models.admit(this.#model) : models.lookup(this.#model);
      this.#target = this.#kind.target(provider, model);
    }
    return this.#target;
  }
}
