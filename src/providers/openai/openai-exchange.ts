import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import type { Model as OpenAIModel } from "openai/resources/models";
import type { GatewayError } from "../../core/errors.js";
import { IdleTimeout } from "./idle-timeout.js";
import { canceled, connectionFailed, mapOpenAIErrorAnswer, timedOut } from "./map-openai-error.js";

/**
 * The one seam between the provider and OpenAI's HTTP API: send a body, get
 * the JSON answer or its stream of chunk events. Failures arrive as
 * GatewayErrors, so the transport under it can change without touching the
 * converters or the tests.
 */
export interface OpenAIExchange {
  complete(body: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<ChatCompletion>;
  stream(body: ChatCompletionCreateParamsStreaming, signal: AbortSignal): AsyncIterable<ChatCompletionChunk>;
  listModels(signal: AbortSignal): Promise<OpenAIModel[]>;
}

export interface OpenAIExchangeOptions {
  apiKey: string;
  baseURL: string;
  timeoutMs: number;
}

function toGatewayError(error: unknown): GatewayError {
  if (error instanceof APIUserAbortError) return canceled(error);
  if (error instanceof APIConnectionTimeoutError) return timedOut(error);
  if (error instanceof APIConnectionError) return connectionFailed(error);
  if (error instanceof APIError) {
    const body = error.error;
    return mapOpenAIErrorAnswer({
      status: error.status,
      // Without OpenAI's error object the SDK's message is "<status> <body text>".
      error:
        typeof body === "object" && body !== null
          ? (body as Record<string, unknown>)
          : { message: error.message.replace(/^\d{3} /, "") },
      retryAfter: error.headers?.get("retry-after"),
    });
  }
  return connectionFailed(error);
}

/** The exchange on the official `openai` SDK. */
export function createSdkExchange(options: OpenAIExchangeOptions): OpenAIExchange {
  // Retries are left to the caller's own client, which sees our status and
  // retry-after: retrying here too would multiply the attempts. The SDK's own
  // timeout covers only the wait for response headers; IdleTimeout adds the
  // wait for each chunk of a stream.
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: 0,
  });

  /** A failure as a GatewayError: a timeout when our idle timeout, not the caller, aborted the call. */
  const failure = (error: unknown, signal: AbortSignal, idle: IdleTimeout) =>
    idle.fired && !signal.aborted ? timedOut(error) : toGatewayError(error);

  /** Runs one SDK call that must answer within the timeout. */
  async function call<T>(signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const idle = new IdleTimeout(options.timeoutMs);
    idle.wait();
    try {
      return await run(AbortSignal.any([signal, idle.signal]));
    } catch (error) {
      throw failure(error, signal, idle);
    } finally {
      idle.stop();
    }
  }

  return {
    complete: (body, signal) => call(signal, (both) => client.chat.completions.create(body, { signal: both })),
    async *stream(body, signal) {
      const idle = new IdleTimeout(options.timeoutMs);
      let chunks: AsyncIterator<ChatCompletionChunk> | undefined;
      try {
        idle.wait();
        const stream = await client.chat.completions.create(body, { signal: AbortSignal.any([signal, idle.signal]) });
        chunks = stream[Symbol.asyncIterator]();
        for (;;) {
          idle.wait();
          const next = await chunks.next();
          idle.stop();
          if (next.done) break;
          yield next.value;
        }
      } catch (error) {
        throw failure(error, signal, idle);
      } finally {
        idle.stop();
        await chunks?.return?.();
      }
      // An abort ends the SDK's stream quietly, as if it were complete.
      if (idle.fired && !signal.aborted) throw timedOut(undefined);
    },
    listModels: (signal) =>
      call(signal, async (both) => {
        const models: OpenAIModel[] = [];
        for await (const model of client.models.list({ signal: both })) models.push(model);
        return models;
      }),
  };
}
