import type { Usage } from "../../gen/openbedrock/v1/chat_pb.js";
import type { CallObserver, ChatObserver, ChatOperation, TransportProtocol } from "../core/chat-observer.js";
import type { GatewayError } from "../core/errors.js";
import type { ProviderName } from "../core/model-router.js";
import { type CallKind, type CallTables, type CallTarget, NO_MODEL, NO_PROVIDER, OK } from "./call-series.js";

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

  /** The call's records, now that the provider has answered for its model. */
  #answered(): CallTarget {
    return this.#target ?? this.#resolve(true);
  }

  #resolve(answered: boolean): CallTarget {
    const provider = this.#provider;
    if (provider === undefined) {
      this.#target = this.#kind.target(NO_PROVIDER, NO_MODEL);
    } else {
      const models = this.#tables.models[provider];
      const model = answered ? models.admit(this.#model) : models.lookup(this.#model);
      this.#target = this.#kind.target(provider, model);
    }
    return this.#target;
  }
}
