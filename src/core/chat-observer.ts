import type { Usage } from "../../gen/openbedrock/v1/chat_pb.js";
import type { GatewayError } from "./errors.js";
import type { ModelRoute, ProviderName } from "./model-router.js";

/** The wire protocols a call can come in on. */
export const TRANSPORT_PROTOCOLS = ["openai_http", "anthropic_http", "grpc", "grpc_web", "connect"] as const;
export type TransportProtocol = (typeof TRANSPORT_PROTOCOLS)[number];

/** What a call can ask of the core. */
export const CHAT_OPERATIONS = ["chat", "chat_stream", "models", "embeddings", "count_tokens"] as const;
export type ChatOperation = (typeof CHAT_OPERATIONS)[number];

/** A target a call tried: its route, and whether the models file names it (a bounded set). */
export interface TriedTarget {
  route: ModelRoute;
  listed: boolean;
}

/**
 * Follows one call from its start to its end. The core calls `end` exactly
 * once; the other methods only when the call gets that far.
 */
export interface CallObserver {
  /**
   * The call goes to this provider, which knows the model by `model`; told
   * again for each target a fallback tries, so the last one told is the
   * call's.
   */
  routed(provider: ProviderName, model: string): void;
  /** A target was tried, its retries in place included: it answered, or failed with `error`. */
  attempted(target: TriedTarget, error?: GatewayError): void;
  /** The target failed with `error`, and the call moves on to the next one. */
  fellBack(target: TriedTarget, error: GatewayError): void;
  /** A stream's first chunk arrived, `seconds` after the call began. */
  firstChunk(seconds: number): void;
  /** The provider reported the tokens the call used (streams too, whether or not the caller asked). */
  usage(usage: Usage): void;
  /** The call ended `seconds` after it began; with an error it failed, and that is how. */
  end(seconds: number, error?: GatewayError): void;
}

/**
 * What the core tells whoever watches it (metrics): calls with the facts the
 * core knows, and the failures providers report. Implementations must be
 * cheap; they run on every call.
 */
export interface ChatObserver {
  begin(protocol: TransportProtocol, operation: ChatOperation): CallObserver;
  /** A provider failed a call or a model listing (its upstream's answer, or reaching it). */
  upstreamFailed(provider: ProviderName, error: GatewayError): void;
  /** A provider's upstream call failed with `error` and is sent again in place (UPSTREAM_RETRIES). */
  retried(provider: ProviderName, error: GatewayError): void;
  /** A models-file target failed COOLDOWN_FAILURES requests in a row and begins to rest. */
  cooledDown(target: ModelRoute): void;
}

const ignoreCall: CallObserver = {
  routed() {},
  attempted() {},
  fellBack() {},
  firstChunk() {},
  usage() {},
  end() {},
};

/** Watches nothing, at no cost: the default when metrics are off. */
export const NO_OBSERVER: ChatObserver = {
  begin: () => ignoreCall,
  upstreamFailed() {},
  retried() {},
  cooledDown() {},
};
