import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import type { Model as OpenAIModel } from "openai/resources/models";
import type { OpenAIEmbeddingsAnswer } from "../../wire/openai-embeddings.js";
import type { RetryPolicy } from "../upstream/retry-policy.js";

/**
 * The one seam between the provider and OpenAI's HTTP API: send a body, get
 * the JSON answer or its stream of chunk events. Failures arrive as
 * GatewayErrors, so the transport under it (the SDK, or undici) can change
 * without touching the converters or the tests.
 */
export interface OpenAIExchange {
  complete(body: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<ChatCompletion>;
  stream(body: ChatCompletionCreateParamsStreaming, signal: AbortSignal): AsyncIterable<ChatCompletionChunk>;
  listModels(signal: AbortSignal): Promise<OpenAIModel[]>;
  /** `POST /embeddings`: the body as OpenAI takes it, the answer as it comes (vectors as numbers or base64). */
  embed(body: EmbeddingCreateParams, signal: AbortSignal): Promise<OpenAIEmbeddingsAnswer>;
}

export interface OpenAIExchangeOptions {
  apiKey: string;
  baseURL: string;
  /** UPSTREAM_TIMEOUT_MS: the longest OpenAI may keep us waiting for an answer to begin or a stream's next chunk. */
  timeoutMs: number;
  /** UPSTREAM_RETRIES; none without it. */
  retry?: RetryPolicy;
}
