import type { CallObserver, ChatObserver, TriedTarget } from "./chat-observer.js";
import { canceled, GatewayError } from "./errors.js";
import type { Logger } from "./logger.js";
import { type ModelRoute, type ProviderName, targetName } from "./model-router.js";
import type { ResolvedModel } from "./model-routes.js";
import type { ProviderCall } from "./provider.js";
import type { TargetCooldown } from "./target-cooldown.js";

/**
 * Whether the next target may do better after this failure: throttling
 * (429) or any 5xx, which takes in timeouts, connection failures and a
 * provider that is not configured. Never the caller's own fault (400) nor an
 * answer about the request (401, 403, 404).
 */
export function fallsBack(error: GatewayError): boolean {
  return error.httpStatus === 429 || error.httpStatus >= 500;
}

/**
 * What a failure is reported as. After the caller's signal fired, it is the
 * signal's own reason (a deadline, a shutdown) or a cancellation, whatever
 * the provider said; before, it is the provider's failure.
 */
export function callFailure(error: unknown, signal: AbortSignal): GatewayError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return reason instanceof GatewayError ? reason : canceled(error);
  }
  return GatewayError.from(error);
}

/** A provider's failure as the caller gets it (callFailure), counted against the provider unless the caller's signal ended the call. */
export function upstreamFailure(
  error: unknown,
  signal: AbortSignal,
  provider: ProviderName,
  observer: ChatObserver,
): GatewayError {
  const failed = callFailure(error, signal);
  if (!signal.aborted) observer.upstreamFailed(provider, failed);
  return failed;
}

/**
 * What the targets of one call are tried with. `P` is what the call needs
 * of a provider (a ChatProvider for chat); `registry.get` throws a
 * ConfigurationError for a provider that is not configured.
 */
export interface TargetTrial<P> {
  resolved: ResolvedModel;
  registry: { get(name: ProviderName): P };
  cooldown: TargetCooldown;
  /** The caller's: when it fires, no further target is tried. */
  signal: AbortSignal;
  observed: CallObserver;
  observer: ChatObserver;
  logger: Logger;
  /** Told the target each attempt goes to, before it is sent. */
  onTarget?: ((target: string) => void) | undefined;
}

export interface Answered<T> {
  answer: T;
  /** The target that gave it. */
  target: ModelRoute;
}

/**
 * Tries a call's targets in order until one answers. A target that fails
 * with a failure the next may not share (`fallsBack`) passes the call on;
 * any other failure, the last target's, and the caller leaving end it.
 * A models-file target that is resting is skipped unless it is the last one
 * left. `attempt` must not let anything reach the caller before it
 * resolves: a stream resolves with its first chunk in hand.
 */
export async function tryTargets<P, T>(
  trial: TargetTrial<P>,
  attempt: (provider: P, call: ProviderCall) => Promise<T>,
): Promise<Answered<T>> {
  const { resolved, cooldown, signal, observed, logger } = trial;
  const listed = resolved.alias !== undefined;
  const logged = { ...(resolved.alias ? { alias: resolved.alias } : {}) };
  let tried = 0;
  for (const [index, route] of resolved.targets.entries()) {
    const last = index === resolved.targets.length - 1;
    const target = targetName(route);
    if (listed && !last && cooldown.resting(route)) {
      logger.debug({ ...logged, target }, "target resting: skipped");
      continue;
    }
    if (signal.aborted) throw callFailure(signal.reason, signal);
    tried += 1;
    observed.routed(route.provider, route.modelId);
    trial.onTarget?.(target);
    const started = performance.now();
    const outcome = await attemptTarget(trial, route, attempt);
    const tries: TriedTarget = { route, listed };
    const facts = { ...logged, target, attempt: tried, ms: Math.round(performance.now() - started) };
    if (outcome.answered) {
      if (listed) cooldown.succeeded(route);
      observed.attempted(tries);
      // One line per attempt; a plain first-try answer only when debugging.
      if (tried > 1) logger.info(facts, "target answered");
      else logger.debug(facts, "target answered");
      return { answer: outcome.answer, target: route };
    }
    const failed = outcome.error;
    if (signal.aborted) throw failed;
    observed.attempted(tries, failed);
    const movesOn = fallsBack(failed) && !last;
    if (listed && fallsBack(failed)) cooldown.failed(route);
    logger.warn(
      { ...facts, error: failed.name, status: failed.httpStatus, message: failed.message },
      movesOn ? "target failed: trying the next" : "target failed",
    );
    if (!movesOn) throw failed;
    observed.fellBack(tries, failed);
  }
  // Unreachable while there is a target: the last one is never skipped.
  throw new Error(`The model resolved to no target.`);
}

type Outcome<T> = { answered: true; answer: T } | { answered: false; error: GatewayError };

async function attemptTarget<P, T>(
  trial: TargetTrial<P>,
  route: ModelRoute,
  attempt: (provider: P, call: ProviderCall) => Promise<T>,
): Promise<Outcome<T>> {
  let provider: P;
  try {
    provider = trial.registry.get(route.provider);
  } catch (error) {
    // Not configured: no upstream was asked.
    return { answered: false, error: GatewayError.from(error) };
  }
  try {
    return { answered: true, answer: await attempt(provider, { modelId: route.modelId, signal: trial.signal }) };
  } catch (error) {
    return { answered: false, error: upstreamFailure(error, trial.signal, route.provider, trial.observer) };
  }
}
