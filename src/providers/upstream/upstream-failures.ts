import {
  APIConnectionError,
  AuthenticationError,
  type GatewayError,
  type GatewayErrorClass,
  type GatewayErrorOptions,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../core/errors.js";

/**
 * What every provider says the same way about its upstream: the failures of
 * the exchange itself (no answer in time, no connection, an answer that
 * cannot be read) and the one table from an error answer's HTTP status to
 * the class of the failure.
 */

/** The upstream kept us waiting longer than UPSTREAM_TIMEOUT_MS. */
export function timedOut(upstream: string, cause?: unknown): TimeoutError {
  return new TimeoutError(`${upstream} did not answer in time.`, { cause });
}

/** The upstream could not be reached, or the connection broke. */
export function connectionFailed(upstream: string, cause?: unknown): APIConnectionError {
  return new APIConnectionError(`Could not reach ${upstream}.`, { cause });
}

/** The upstream answered something this server cannot read. */
export function unreadableAnswer(upstream: string, what: string): UpstreamError {
  return new UpstreamError(`${upstream} sent an answer this server cannot read: ${what}.`);
}

/**
 * DESIGN.md's error table, read from the upstream's side. The caller's
 * request is at fault only for 400, 413 and 422; 401 is the server's own
 * upstream key refused. A status not named here (409, 418, 424, 5xx ...) is
 * the upstream's failure, not the caller's.
 */
const CLASS_BY_STATUS: ReadonlyMap<number, GatewayErrorClass> = new Map<number, GatewayErrorClass>([
  [400, InvalidRequestError],
  [413, InvalidRequestError],
  [422, InvalidRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, ModelNotFoundError],
  [408, TimeoutError],
  [504, TimeoutError],
  [429, RateLimitError],
  [503, ServiceUnavailableError],
]);

/** The class of an upstream's error answer by its status; undefined is an error inside a stream that began well. */
export function classOfUpstreamStatus(status: number | undefined): GatewayErrorClass {
  return (status === undefined ? undefined : CLASS_BY_STATUS.get(status)) ?? UpstreamError;
}

/** An upstream's error answer, as its provider read it. */
export interface UpstreamErrorAnswer {
  /** The HTTP status; undefined for an error inside a stream that began with 200. */
  status: number | undefined;
  /** The upstream's own message, its secrets already removed. */
  message: string;
  /** The code, param and retry-after the upstream gave. */
  options?: GatewayErrorOptions;
}

/** A provider's own words for one class of failure; undefined keeps the common words. */
export type UpstreamWording = (Class: GatewayErrorClass, answer: UpstreamErrorAnswer) => string | undefined;

function commonWording(upstream: string, Class: GatewayErrorClass, { status, message }: UpstreamErrorAnswer): string {
  switch (Class) {
    case InvalidRequestError:
      return `${upstream} rejected the request: ${message}`;
    case AuthenticationError:
      return `${upstream} refused the server's credentials: ${message}`;
    case PermissionDeniedError:
      return `${upstream} denied access: ${message}`;
    case ModelNotFoundError:
      return `Not found on ${upstream}: ${message}`;
    case RateLimitError:
      return `${upstream} is throttling requests: ${message}`;
    case TimeoutError:
      return `${upstream} timed out: ${message}`;
    case ServiceUnavailableError:
      return `${upstream} is unavailable: ${message}`;
    default:
      return status === undefined
        ? `${upstream} failed while streaming: ${message}`
        : `${upstream} failed with status ${status}: ${message}`;
  }
}

/** An upstream's error answer as the gateway's error of the same meaning, in the provider's words. */
export function fromUpstreamStatus(
  upstream: string,
  answer: UpstreamErrorAnswer,
  wording?: UpstreamWording,
): GatewayError {
  const Class = classOfUpstreamStatus(answer.status);
  const message = wording?.(Class, answer) ?? commonWording(upstream, Class, answer);
  // The caller's key was fine: the upstream refused the server's own, whose details stay out.
  const options = Class === AuthenticationError ? { code: "upstream_authentication" } : answer.options;
  return new Class(message, options);
}
