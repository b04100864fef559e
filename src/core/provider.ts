import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  Model,
} from "../../gen/openbedrock/v1/chat_pb.js";
import type { CreateEmbeddingsRequest, CreateEmbeddingsResponse } from "../../gen/openbedrock/v1/embedding_pb.js";
import type { ProviderName } from "./model-router.js";

/** What the core hands a provider besides the request itself. */
export interface ProviderCall {
  /** The model id as the upstream knows it (routing prefix removed). */
  modelId: string;
  /** Aborts the upstream exchange: the caller went away or its deadline passed. */
  signal: AbortSignal;
}

/**
 * The small interface the core knows providers by. A provider turns the
 * canonical request into its upstream's wire format and the answers back,
 * and maps every upstream failure to a GatewayError.
 */
export interface ChatProvider extends Partial<EmbeddingCapability> {
  readonly name: ProviderName;
  createChatCompletion(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse>;
  /**
   * Streams the answer. The first chunk carries `role`; a final chunk with no
   * choices carries `usage` whenever the upstream reports it (the core drops
   * it unless the caller asked for usage).
   */
  streamChatCompletion(request: ChatCompletionRequest, call: ProviderCall): AsyncIterable<ChatCompletionChunk>;
  listModels(signal: AbortSignal): Promise<Model[]>;
}

/**
 * What a provider that makes embeddings adds: the canonical request in, one
 * vector per input out, in input order. A provider without it answers no
 * embeddings request.
 */
export interface EmbeddingCapability {
  createEmbeddings(request: CreateEmbeddingsRequest, call: ProviderCall): Promise<CreateEmbeddingsResponse>;
}
