import type { JsonObject } from "@bufbuild/protobuf";
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
  Model,
  Usage,
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
export interface ChatProvider extends Partial<EmbeddingCapability>, Partial<MessagesCapability> {
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

/** A call with an Anthropic Messages body, as the caller sent it. */
export interface MessagesCall extends ProviderCall {
  /** The flags of the caller's `anthropic-beta` header. */
  betas: readonly string[];
  /** Told the tokens the call used, as soon as the upstream reports them. */
  usage(usage: Usage): void;
}

/**
 * What a provider adds whose upstream takes Anthropic Messages bodies
 * itself (Claude on Bedrock): the body goes up and the answer and events
 * come back as they are, so nothing is lost on the way through the
 * canonical request. Bodies, answers and events are Anthropic's JSON.
 */
export interface MessagesCapability {
  /** Whether this model takes an Anthropic Messages body as it is; other models get the canonical request. */
  takesMessagesBody(modelId: string): boolean;
  createMessage(body: JsonObject, call: MessagesCall): Promise<JsonObject>;
  /** Anthropic's stream events (`message_start` ... `message_stop`), each as its JSON payload. */
  streamMessage(body: JsonObject, call: MessagesCall): AsyncIterable<JsonObject>;
  /** The body's input tokens as the upstream counts them; undefined where it cannot count for this model. */
  countMessageTokens(body: JsonObject, call: MessagesCall): Promise<number | undefined>;
}
