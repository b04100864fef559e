/**
 * The counts kept between scrapes, one record per combination of label
 * values, each holding its label object, built once when the combination
 * first occurs. A call finds its records by lookups on the values it has;
 * it never builds a label set. Counters and gauges are read from these
 * records when Prometheus scrapes.
 */
import {
  CHAT_OPERATIONS,
  type ChatOperation,
  TRANSPORT_PROTOCOLS,
  type TransportProtocol,
} from "../core/chat-observer.js";
import { NO_PROVIDER, type ProviderName } from "../core/model-router.js";
import { ModelLabels } from "./model-labels.js";
import { SecondsHistogram } from "./seconds-histogram.js";

// Model calls take from milliseconds (a refusal) to minutes (a long answer).
export const DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
export const FIRST_CHUNK_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The provider label: NO_PROVIDER (`none`) when a call reached no provider (it failed first, or lists all models). */
export type ProviderLabel = ProviderName;
/** The model label of a call that reached no provider. */
export const NO_MODEL = "none";
/** The outcome label of a call that succeeded; a failed call's is its error class. */
export const OK = "ok";

export interface CallLabels {
  readonly protocol: TransportProtocol;
  readonly operation: ChatOperation;
  readonly provider: ProviderLabel;
  readonly model: string;
  readonly outcome: string;
}

export interface FirstChunkLabels {
  readonly protocol: TransportProtocol;
  readonly provider: ProviderLabel;
  readonly model: string;
}

export interface InFlightLabels {
  readonly protocol: TransportProtocol;
  readonly operation: ChatOperation;
}

export interface ModelSeriesLabels {
  readonly provider: ProviderName;
  readonly model: string;
}

export interface UpstreamErrorLabels {
  readonly provider: ProviderName;
  readonly error: string;
}

/** Calls that ended one way: how many, and how long they took. */
export class CallSeries {
  readonly histogram = new SecondsHistogram(DURATION_BUCKETS);
  constructor(readonly labels: CallLabels) {}
}

/** Tokens one model of one provider used; the prompt's cache reads and writes are part of `prompt`. */
export class TokenSeries {
  prompt = 0;
  completion = 0;
  cacheRead = 0;
  cacheWrite = 0;
  constructor(readonly labels: ModelSeriesLabels) {}
}

/** A target: one model of one provider, as a call or the models file names it. */
export interface TargetLabels {
  readonly provider: ProviderName;
  readonly model: string;
}

export interface AttemptLabels extends TargetLabels {
  /** `ok`, or the error class it failed with. */
  readonly outcome: string;
}

export interface FallbackLabels extends TargetLabels {
  /** The error class the target failed with. */
  readonly error: string;
}

/** How many times something happened, for one label set: failures of one class one provider reported, retries, rests. */
export class CountSeries<L> {
  count = 0;
  constructor(readonly labels: L) {}
}

export type UpstreamErrorSeries = CountSeries<UpstreamErrorLabels>;

function keyed<K extends string, V>(keys: readonly K[], make: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, make(key)])) as Record<K, V>;
}

/** For the records made rarely; the per-call lookups are written out, without a closure. */
function getOrAdd<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** The calls of one protocol and operation to one model of one provider, by outcome. */
export class CallTarget {
  readonly firstChunkLabels: FirstChunkLabels;
  /** How long the streams among these calls waited for their first chunk. */
  readonly firstChunk = new SecondsHistogram(FIRST_CHUNK_BUCKETS);
  readonly #outcomes = new Map<string, CallSeries>();
  readonly #base: Omit<CallLabels, "outcome">;
  readonly #tables: CallTables;
  #tokens: TokenSeries | undefined;

  constructor(base: Omit<CallLabels, "outcome">, tables: CallTables) {
    this.#base = base;
    this.#tables = tables;
    this.firstChunkLabels = { protocol: base.protocol, provider: base.provider, model: base.model };
  }

  /** Where the tokens of these calls are counted; none without a provider. */
  tokens(): TokenSeries | undefined {
    const { provider, model } = this.#base;
    if (this.#tokens === undefined && provider !== NO_PROVIDER) this.#tokens = this.#tables.tokens(provider, model);
    return this.#tokens;
  }

  outcome(outcome: string): CallSeries {
    const found = this.#outcomes.get(outcome);
    if (found !== undefined) return found;
    const series = new CallSeries({ ...this.#base, outcome });
    this.#outcomes.set(outcome, series);
    return series;
  }

  series(): Iterable<CallSeries> {
    return this.#outcomes.values();
  }
}

/** The calls of one protocol and operation: how many run now, and the rest by provider and model. */
export class CallKind {
  /** Calls begun and not yet ended. */
  inFlight = 0;
  readonly labels: InFlightLabels;
  readonly #targets = new Map<ProviderLabel, Map<string, CallTarget>>();
  readonly #tables: CallTables;

  constructor(protocol: TransportProtocol, operation: ChatOperation, tables: CallTables) {
    this.labels = { protocol, operation };
    this.#tables = tables;
  }

  target(provider: ProviderLabel, model: string): CallTarget {
    let targets = this.#targets.get(provider);
    if (targets === undefined) {
      targets = new Map();
      this.#targets.set(provider, targets);
    }
    const found = targets.get(model);
    if (found !== undefined) return found;
    const target = new CallTarget({ ...this.labels, provider, model }, this.#tables);
    targets.set(model, target);
    return target;
  }

  *targets(): Iterable<CallTarget> {
    for (const targets of this.#targets.values()) yield* targets.values();
  }
}

/**
 * Every record, and the model ids that have their own label value. Provider
 * names come from the configuration (the environment's and the models
 * file's), so they are as few as it names.
 */
export class CallTables {
  readonly kinds: Record<TransportProtocol, Record<ChatOperation, CallKind>>;
  readonly #modelCap: number;
  readonly #models = new Map<ProviderName, ModelLabels>();
  readonly #tokens = new Map<ProviderName, Map<string, TokenSeries>>();
  readonly #upstreamErrors = new Map<ProviderName, Map<string, UpstreamErrorSeries>>();
  readonly #attempts = new Map<ProviderName, Map<string, Map<string, CountSeries<AttemptLabels>>>>();
  readonly #fallbacks = new Map<string, CountSeries<FallbackLabels>>();
  readonly #cooldowns = new Map<string, CountSeries<TargetLabels>>();
  readonly #retries = new Map<string, CountSeries<UpstreamErrorLabels>>();

  /** `modelCap`: how many model ids of each provider get their own label value. */
  constructor(modelCap: number) {
    this.#modelCap = modelCap;
    this.kinds = keyed(TRANSPORT_PROTOCOLS, (protocol) =>
      keyed(CHAT_OPERATIONS, (operation) => new CallKind(protocol, operation, this)),
    );
  }

  /** Which of a provider's model ids have their own label value. */
  models(provider: ProviderName): ModelLabels {
    let labels = this.#models.get(provider);
    if (labels === undefined) {
      labels = new ModelLabels(this.#modelCap);
      this.#models.set(provider, labels);
    }
    return labels;
  }

  tokens(provider: ProviderName, model: string): TokenSeries {
    const byModel = getOrAdd(this.#tokens, provider, () => new Map<string, TokenSeries>());
    return getOrAdd(byModel, model, () => new TokenSeries({ provider, model }));
  }

  upstreamError(provider: ProviderName, error: string): UpstreamErrorSeries {
    const byError = getOrAdd(this.#upstreamErrors, provider, () => new Map<string, UpstreamErrorSeries>());
    return getOrAdd(byError, error, () => new CountSeries({ provider, error }));
  }

  /** The attempts at one target that ended one way: every call makes at least one. */
  attempt(provider: ProviderName, model: string, outcome: string): CountSeries<AttemptLabels> {
    let byModel = this.#attempts.get(provider);
    if (byModel === undefined) {
      byModel = new Map();
      this.#attempts.set(provider, byModel);
    }
    let byOutcome = byModel.get(model);
    if (byOutcome === undefined) {
      byOutcome = new Map();
      byModel.set(model, byOutcome);
    }
    let series = byOutcome.get(outcome);
    if (series === undefined) {
      series = new CountSeries({ provider, model, outcome });
      byOutcome.set(outcome, series);
    }
    return series;
  }

  // Fallbacks, rests and retries are rare: their keys are built when they happen.
  fallback(provider: ProviderName, model: string, error: string): CountSeries<FallbackLabels> {
    return getOrAdd(
      this.#fallbacks,
      `${provider}\n${model}\n${error}`,
      () => new CountSeries({ provider, model, error }),
    );
  }

  cooldown(provider: ProviderName, model: string): CountSeries<TargetLabels> {
    return getOrAdd(this.#cooldowns, `${provider}\n${model}`, () => new CountSeries({ provider, model }));
  }

  retry(provider: ProviderName, error: string): CountSeries<UpstreamErrorLabels> {
    return getOrAdd(this.#retries, `${provider}\n${error}`, () => new CountSeries({ provider, error }));
  }

  *allKinds(): Iterable<CallKind> {
    for (const byOperation of Object.values(this.kinds)) yield* Object.values(byOperation);
  }

  *allTargets(): Iterable<CallTarget> {
    for (const kind of this.allKinds()) yield* kind.targets();
  }

  *allCalls(): Iterable<CallSeries> {
    for (const target of this.allTargets()) yield* target.series();
  }

  *allTokens(): Iterable<TokenSeries> {
    for (const series of this.#tokens.values()) yield* series.values();
  }

  *allUpstreamErrors(): Iterable<UpstreamErrorSeries> {
    for (const series of this.#upstreamErrors.values()) yield* series.values();
  }

  *allAttempts(): Iterable<CountSeries<AttemptLabels>> {
    for (const byModel of this.#attempts.values()) for (const byOutcome of byModel.values()) yield* byOutcome.values();
  }

  allFallbacks(): Iterable<CountSeries<FallbackLabels>> {
    return this.#fallbacks.values();
  }

  allCooldowns(): Iterable<CountSeries<TargetLabels>> {
    return this.#cooldowns.values();
  }

  allRetries(): Iterable<CountSeries<UpstreamErrorLabels>> {
    return this.#retries.values();
  }
}
