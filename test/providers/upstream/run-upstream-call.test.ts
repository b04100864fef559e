/**
 * The one lifecycle of an upstream call, on fake timers: the idle timeout
 * (for the answer to begin, then for each next event, paused while our
 * reader holds an event), the caller's abort, the end of a stream, and how
 * each failure is reported.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  APIConnectionError,
  CanceledError,
  type FailureReader,
  type GatewayError,
  InternalError,
  InvalidRequestError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../../src/core/errors.js";
import { MAX_BACKOFF_MS, type RetryNotice } from "../../../src/providers/upstream/retry-policy.js";
import { relay, run } from "../../../src/providers/upstream/run-upstream-call.js";
import type { UpstreamCall } from "../../../src/providers/upstream/upstream-call.js";

const IDLE_MS = 1_000;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function describeCall(options: { signal?: AbortSignal; readFailure?: FailureReader } = {}): UpstreamCall {
  return {
    upstream: "Upstream",
    idleTimeoutMs: IDLE_MS,
    signal: options.signal ?? new AbortController().signal,
    readFailure: options.readFailure ?? (() => undefined),
  };
}

/** Settles when the signal fires, as an upstream request does: rejected with an abort error. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true });
  });
}

/** How a promise has settled so far, without waiting for it. */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/**
 * A stream an upstream sends: events are handed over when the test pushes
 * them; an abort fails the pending read, or, with `endQuietly`, ends the
 * stream as if it were complete (as the SDKs do).
 */
class ScriptedStream<T> implements AsyncIterable<T> {
  readonly #queue: T[] = [];
  #ended = false;
  #wake: (() => void) | undefined;
  closed = false;
  signal: AbortSignal | undefined;

  constructor(private readonly endQuietly = false) {}

  open = (signal: AbortSignal): AsyncIterable<T> => {
    this.signal = signal;
    signal.addEventListener("abort", () => this.#wake?.(), { once: true });
    return this;
  };

  push(...events: T[]): void {
    this.#queue.push(...events);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    try {
      for (;;) {
        const next = this.#queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.#ended) return;
        if (this.signal?.aborted) {
          if (this.endQuietly) return;
          throw new DOMException("aborted", "AbortError");
        }
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      this.closed = true;
    }
  }
}

describe("run (a unary call)", () => {
  it("answers what the attempt read, and leaves the upstream request alone and no timer behind", async () => {
    let sent: AbortSignal | undefined;
    const answer = await run(describeCall(), async (signal) => {
      sent = signal;
      return "answer";
    });
    expect(answer).toBe("answer");
    expect(sent?.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("gives the upstream the whole idle timeout, then aborts it and fails as a TimeoutError", async () => {
    let sent: AbortSignal | undefined;
    const outcome = watch(
      run(describeCall(), (signal) => {
        sent = signal;
        return untilAborted(signal);
      }),
    );
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect((outcome.error as GatewayError).message).toBe("Upstream did not answer in time.");
    expect(sent?.aborted).toBe(true);
  });

  it("aborts the upstream request when the caller's signal fires, as a CanceledError", async () => {
    const caller = new AbortController();
    let sent: AbortSignal | undefined;
    const outcome = watch(
      run(describeCall({ signal: caller.signal }), (signal) => {
        sent = signal;
        return untilAborted(signal);
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    caller.abort(new Error("the caller left"));
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.error).toBeInstanceOf(CanceledError);
    expect(sent?.reason).toEqual(new Error("the caller left"));
  });

  it("sends nothing live when the caller has already left", async () => {
    const caller = new AbortController();
    caller.abort();
    let aborted: boolean | undefined;
    const error = await run(describeCall({ signal: caller.signal }), async (signal) => {
      aborted = signal.aborted;
      throw new DOMException("aborted", "AbortError");
    }).catch((failure: unknown) => failure);
    expect(aborted).toBe(true);
    expect(error).toBeInstanceOf(CanceledError);
  });

  it("reports other failures as the reader reads them, GatewayErrors as they are, and the rest as internal", async () => {
    const limited = new RateLimitError("slow down");
    const readFailure: FailureReader = (reason) =>
      reason instanceof Error && reason.message === "known" ? new UpstreamError("read") : undefined;
    const failWith = (reason: unknown) =>
      run(describeCall({ readFailure }), () => Promise.reject(reason)).catch((error: unknown) => error);
    expect(await failWith(new Error("known"))).toEqual(new UpstreamError("read"));
    expect(await failWith(limited)).toBe(limited);
    const bug = await failWith(new TypeError("x is not a function"));
    expect(bug).toBeInstanceOf(InternalError);
    expect((bug as GatewayError).message).toBe("The server failed to process the request.");
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("relay (a streaming call)", () => {
  async function readAll<T>(events: AsyncIterable<T>): Promise<{ events: T[]; error?: unknown }> {
    const seen: T[] = [];
    try {
      for await (const event of events) seen.push(event);
      return { events: seen };
    } catch (error) {
      return { events: seen, error };
    }
  }

  it("passes every event on, in order, and a stream read to the end leaves the upstream request alone", async () => {
    const stream = new ScriptedStream<string>();
    stream.push("a", "b", "c");
    stream.end();
    expect(await readAll(relay(describeCall(), stream.open))).toEqual({ events: ["a", "b", "c"] });
    expect(stream.signal?.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("takes an open that is itself a generator, sending on the first read", async () => {
    const opened: string[] = [];
    const events = relay(describeCall(), async function* (signal) {
      opened.push(signal.aborted ? "aborted" : "live");
      yield 1;
      yield 2;
    });
    expect(opened).toEqual([]);
    expect(await readAll(events)).toEqual({ events: [1, 2] });
    expect(opened).toEqual(["live"]);
  });

  it("gives the upstream the idle timeout to begin", async () => {
    const stream = new ScriptedStream<string>();
    const outcome = watch(readAll(relay(describeCall(), stream.open)));
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    expect(outcome.value?.error).toBeInstanceOf(TimeoutError);
    expect(stream.signal?.aborted).toBe(true);
  });

  it("gives it the idle timeout again for each next event, so a stream that keeps flowing is never cut", async () => {
    const stream = new ScriptedStream<number>();
    const outcome = watch(readAll(relay(describeCall(), stream.open)));
    for (let event = 0; event < 10; event += 1) {
      await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
      stream.push(event);
    }
    stream.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.value).toEqual({ events: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  });

  it("fails as a TimeoutError, after the events it had, when the next one does not come in time", async () => {
    const stream = new ScriptedStream<string>();
    stream.push("a");
    const outcome = watch(readAll(relay(describeCall(), stream.open)));
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    expect(outcome.value?.events).toEqual(["a"]);
    expect(outcome.value?.error).toBeInstanceOf(TimeoutError);
    expect(stream.signal?.aborted).toBe(true);
  });

  it("stops the clock while our reader holds an event", async () => {
    const stream = new ScriptedStream<string>();
    stream.push("a", "b");
    stream.end();
    const events = relay(describeCall(), stream.open)[Symbol.asyncIterator]();
    expect(await events.next()).toEqual({ done: false, value: "a" });
    await vi.advanceTimersByTimeAsync(10 * IDLE_MS);
    expect(stream.signal?.aborted).toBe(false);
    expect(await events.next()).toEqual({ done: false, value: "b" });
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it("does not take a stream that ends quietly when aborted for a complete one", async () => {
    const stream = new ScriptedStream<string>(true);
    stream.push("a");
    const outcome = watch(readAll(relay(describeCall(), stream.open)));
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    expect(outcome.value?.events).toEqual(["a"]);
    expect(outcome.value?.error).toBeInstanceOf(TimeoutError);
  });

  it("aborts the upstream when the caller's signal fires, and passes on nothing it read after", async () => {
    const caller = new AbortController();
    const stream = new ScriptedStream<string>(true);
    stream.push("a");
    const events = relay(describeCall({ signal: caller.signal }), stream.open)[Symbol.asyncIterator]();
    expect(await events.next()).toEqual({ done: false, value: "a" });
    stream.push("already read");
    caller.abort();
    const error = await events.next().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(CanceledError);
    expect(stream.signal?.aborted).toBe(true);
  });

  it("aborts the upstream and closes its stream when the reader stops early, leaving no timer", async () => {
    const stream = new ScriptedStream<string>();
    stream.push("a", "b", "c");
    for await (const event of relay(describeCall(), stream.open)) {
      expect(event).toBe("a");
      break;
    }
    expect(stream.signal?.aborted).toBe(true);
    expect(stream.signal?.reason).toBeInstanceOf(CanceledError);
    expect(stream.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reports a failure to open, or in the middle, as the reader reads it", async () => {
    const readFailure: FailureReader = () => new UpstreamError("read by the provider");
    const refused = await readAll(relay(describeCall({ readFailure }), () => Promise.reject(new Error("refused"))));
    expect(refused.error).toEqual(new UpstreamError("read by the provider"));
    const broken = await readAll(
      relay(describeCall({ readFailure }), async function* () {
        yield "a";
        throw new Error("reset");
      }),
    );
    expect(broken).toEqual({ events: ["a"], error: new UpstreamError("read by the provider") });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("retries in place (UPSTREAM_RETRIES)", () => {
  /** A call that retries up to `retries` times, writing down each retry it announces. */
  function retrying(retries: number, signal?: AbortSignal) {
    const notices: RetryNotice[] = [];
    const call: UpstreamCall = {
      ...describeCall(signal ? { signal } : {}),
      model: "m-1",
      retry: { retries, onRetry: (notice) => notices.push(notice) },
    };
    return { call, notices };
  }

  /** An attempt that fails with each of `failures` in turn, then answers; counts its attempts. */
  function failing(...failures: Error[]) {
    const attempt = { count: 0 };
    const send = async () => {
      const failure = failures[attempt.count];
      attempt.count += 1;
      if (failure) throw failure;
      return "answer";
    };
    return { attempt, send };
  }

  it("tries again after a 429, waiting what retry-after says, and answers the retry's answer", async () => {
    const { call, notices } = retrying(2);
    const limited = new RateLimitError("slow down", { retryAfterSeconds: 2 });
    const { attempt, send } = failing(limited);
    const outcome = watch(run(call, send));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(attempt.count).toBe(1);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.value).toBe("answer");
    expect(attempt.count).toBe(2);
    expect(notices).toEqual([{ upstream: "Upstream", model: "m-1", retry: 1, delayMs: 2_000, error: limited }]);
  });

  it("stops after UPSTREAM_RETRIES more attempts with the last failure", async () => {
    const { call, notices } = retrying(2);
    const last = new ServiceUnavailableError("still busy");
    const { attempt, send } = failing(new ServiceUnavailableError("busy"), new APIConnectionError("down"), last);
    const outcome = watch(run(call, send));
    await vi.advanceTimersByTimeAsync(MAX_BACKOFF_MS * 3);
    expect(outcome.error).toBe(last);
    expect(attempt.count).toBe(3);
    expect(notices.map((notice) => [notice.retry, notice.error.name])).toEqual([
      [1, "ServiceUnavailableError"],
      [2, "APIConnectionError"],
    ]);
  });

  it("makes no retry with UPSTREAM_RETRIES=0, nor for a failure another attempt would repeat", async () => {
    const none = failing(new RateLimitError("slow down"));
    expect(await run(retrying(0).call, none.send).catch((error: unknown) => error)).toBeInstanceOf(RateLimitError);
    expect(none.attempt.count).toBe(1);
    const refused = failing(new InvalidRequestError("bad"));
    expect(await run(retrying(2).call, refused.send).catch((error: unknown) => error)).toBeInstanceOf(
      InvalidRequestError,
    );
    expect(refused.attempt.count).toBe(1);
  });

  it("makes no retry when retry-after is longer than it waits for", async () => {
    const { call, notices } = retrying(2);
    const { attempt, send } = failing(new RateLimitError("slow down", { retryAfterSeconds: 60 }));
    expect(await run(call, send).catch((error: unknown) => error)).toBeInstanceOf(RateLimitError);
    expect(attempt.count).toBe(1);
    expect(notices).toEqual([]);
  });

  it("stops waiting when the caller leaves, as a CanceledError, and sends nothing more", async () => {
    const caller = new AbortController();
    const { call } = retrying(2, caller.signal);
    const { attempt, send } = failing(new RateLimitError("slow down", { retryAfterSeconds: 5 }));
    const outcome = watch(run(call, send));
    await vi.advanceTimersByTimeAsync(1_000);
    caller.abort(new Error("the caller left"));
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.error).toBeInstanceOf(CanceledError);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(attempt.count).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  /** Opens each of `streams` in turn, counting the opens. */
  function opening(...streams: (() => AsyncIterable<string>)[]) {
    const opened = { count: 0 };
    const open = () => {
      const stream = streams[opened.count];
      opened.count += 1;
      if (!stream) throw new Error("opened once too often");
      return stream();
    };
    return { opened, open };
  }

  async function readWithTimers(events: AsyncIterable<string>) {
    const seen: string[] = [];
    const done = watch(
      (async () => {
        for await (const event of events) seen.push(event);
      })(),
    );
    await vi.advanceTimersByTimeAsync(MAX_BACKOFF_MS * 3);
    return { seen, error: done.error };
  }

  it("retries a stream that fails before its first event, and passes on the retry's events", async () => {
    const { call, notices } = retrying(2);
    const { opened, open } = opening(
      async function* () {
        yield* [];
        throw new APIConnectionError("reset before the first byte");
      },
      async function* () {
        yield* ["a", "b"];
      },
    );
    expect(await readWithTimers(relay(call, open))).toEqual({ seen: ["a", "b"], error: undefined });
    expect(opened.count).toBe(2);
    expect(notices.map((notice) => notice.error.name)).toEqual(["APIConnectionError"]);
  });

  it("never retries a stream once an event was passed on", async () => {
    const { call, notices } = retrying(2);
    const { opened, open } = opening(async function* () {
      yield "a";
      throw new ServiceUnavailableError("gone mid-stream");
    });
    const read = await readWithTimers(relay(call, open));
    expect(read.seen).toEqual(["a"]);
    expect(read.error).toBeInstanceOf(ServiceUnavailableError);
    expect(opened.count).toBe(1);
    expect(notices).toEqual([]);
  });
});
