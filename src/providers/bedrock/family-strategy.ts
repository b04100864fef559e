import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderCall } from "../../core/provider.js";
import { type StreamEventMapper, toAnswerChunks } from "./answer-chunks.js";
import { type AssistantAnswer, toChatCompletionResponse } from "./assistant-answer.js";
import type { BedrockExchange } from "./bedrock-exchange.js";

/** How one model family (Claude, Titan, Converse) is called: its body, its operations, its answers. */
export interface FamilyStrategy {
  complete(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse>;
  stream(request: ChatCompletionRequest, call: ProviderCall): AsyncIterable<ChatCompletionChunk>;
}

/** What is particular to one family; everything else a family strategy does is the same for all. */
export interface FamilyCalls<Body, Event> {
  /** The family's body for a canonical request; refuses what the family cannot do. */
  body(request: ChatCompletionRequest, call: ProviderCall): Body | Promise<Body>;
  /** The unary operation, its answer read as the assistant's. */
  complete(exchange: BedrockExchange, modelId: string, body: Body, signal: AbortSignal): Promise<AssistantAnswer>;
  /** The streaming operation's events. */
  stream(exchange: BedrockExchange, modelId: string, body: Body, signal: AbortSignal): AsyncIterable<Event>;
  /** A reader for the events of one stream. */
  mapper(): StreamEventMapper<Event>;
}

/** A family's strategy: its body sent by its operations, its answers in the canonical shape. */
export function familyStrategy<Body, Event>(
  exchange: BedrockExchange,
  family: FamilyCalls<Body, Event>,
): FamilyStrategy {
  return {
    async complete(request, call) {
      const body = await family.body(request, call);
      return toChatCompletionResponse(await family.complete(exchange, call.modelId, body, call.signal), call.modelId);
    },
    async *stream(request, call) {
      const body = await family.body(request, call);
      yield* toAnswerChunks(family.stream(exchange, call.modelId, body, call.signal), family.mapper(), call.modelId);
    },
  };
}
