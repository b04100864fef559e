import type { CallObserver, ChatObserver } from "./chat-observer.js";
import { type Logger, silentLogger } from "./logger.js";
import type { ProviderName } from "./model-router.js";
import type { ModelNameTable, ModelRoutes } from "./model-routes.js";
import type { ProviderRegistry } from "./provider-registry.js";
import { NO_COOLDOWN, TargetCooldown } from "./target-cooldown.js";
import type { TargetTrial } from "./try-targets.js";

/** What a call brings to the trial of its targets. */
export interface TargetCallContext {
  /** Fires when the caller goes away or its deadline passes: it bounds every target and retry. */
  signal: AbortSignal;
  logger?: Logger;
  /**
   * Told `<provider>/<model id>` of each target before it is tried, so the
   * answer can say which one served (the last told); for a stream, before
   * its first chunk.
   */
  onTarget?: (target: string) => void;
}

/**
 * One service's way to its models' targets: the routing in force (a reload
 * of the models file replaces it; a call keeps the one it began with) and
 * which targets rest (COOLDOWN_FAILURES, COOLDOWN_SECONDS), a record shared
 * with the server's other services: a target resting for chat rests for
 * Messages too.
 */
export class TargetTrials {
  readonly #routes: () => ModelRoutes;
  readonly #observer: ChatObserver;
  readonly #cooldown: TargetCooldown;

  constructor(routes: () => ModelRoutes, cooldown: TargetCooldown | undefined, observer: ChatObserver) {
    this.#routes = routes;
    this.#observer = observer;
    this.#cooldown = cooldown ?? new TargetCooldown(NO_COOLDOWN, () => {});
  }

  /**
   * The trial of one call's `model`, for tryTargets: its targets, with what
   * the call needs of each target's provider (`providers` picks it from the
   * registry); `publicNames` is a front door's table of public model names.
   */
  of<P>(
    model: string,
    context: TargetCallContext,
    observed: CallObserver,
    providers: (registry: ProviderRegistry) => { get(name: ProviderName): P },
    publicNames?: ModelNameTable,
  ): TargetTrial<P> {
    const routes = this.#routes();
    const resolved = routes.resolve(model, publicNames);
    const logger = context.logger ?? silentLogger;
    logger.debug({ model, targets: resolved.targets.length, alias: resolved.alias }, "routed");
    return {
      resolved,
      registry: providers(routes.registry),
      cooldown: this.#cooldown,
      signal: context.signal,
      observed,
      observer: this.#observer,
      logger,
      onTarget: context.onTarget,
    };
  }
}
