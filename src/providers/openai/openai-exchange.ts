import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import type { Model as OpenAIModel } from "openai/resources/models";
import type { GatewayError } from "../../core/errors.js";
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
  // retry-after: retrying here too would multiply the attempts.
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: 0,
  });
  return {
    async complete(body, signal) {
      try {
        return await client.chat.completions.create(body, { signal });
      } catch (error) {
        throw toGatewayError(error);
      }
    },
    async *stream(body, signal) {
      try {
        const stream = await client.chat.completions.create(body, { signal });
        yield* stream;
      } catch (error) {
        throw toGatewayError(error);
      }
    },
    async listModels(signal) {
      try {
        const models: OpenAIModel[] = [];
        for await (const model of client.models.list({ signal })) models.push(model);
        return models;
      } catch (error) {
        throw toGatewayError(error);
      }
    },
  };
}
