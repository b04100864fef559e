import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderCall } from "../../core/provider.js";
import { type StreamEventMapper, toAnswerChunks } from "./answer-chunks.js";
import { type AssistantAnswer, fromOutputTool, toChatCompletionResponse } from "./assistant-answer.js";
import type { BedrockExchange, InvokeOptions } from "./bedrock-exchange.js";
import type { BedrockRequest } from "./bedrock-request.js";

/** How one model family (Claude, Titan, Converse) is called: its body, its operations, its answers. */
export interface FamilyStrategy {
  complete(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse>;
  stream(request: ChatCompletionRequest, call: ProviderCall): AsyncIterable<ChatCompletionChunk>;
}

/** What one call sends: the family's body, InvokeModel's header options, and how the answer is shaped. */
export interface FamilyCall<Body> {
  body: Body;
  options: InvokeOptions;
  /** The forced tool of structured output, whose arguments are the answer's content. */
  outputTool?: string;
}

/** A family's call for a prepared request: its body, and the forced tool of structured output if there is one. */
export function familyCall<Body>(prepared: BedrockRequest, body: Body, options: InvokeOptions = {}): FamilyCall<Body> {
  return { body, options, ...(prepared.output.kind === "tool" ? { outputTool: prepared.output.tool.name } : {}) };
}

/** What is particular to one family; everything else a family strategy does is the same for all. */
export interface FamilyCalls<Body, Event> {
  /** The call for a canonical request; refuses what the family or the model cannot do. */
  prepare(request: ChatCompletionRequest, call: ProviderCall): FamilyCall<Body> | Promise<FamilyCall<Body>>;
  /** The unary operation, its answer read as the assistant's. */
  complete(
    exchange: BedrockExchange,
    modelId: string,
    call: FamilyCall<Body>,
    signal: AbortSignal,
  ): Promise<AssistantAnswer>;
  /** The streaming operation's events. */
  stream(exchange: BedrockExchange, modelId: string, call: FamilyCall<Body>, signal: AbortSignal): AsyncIterable<Event>;
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
      const prepared = await family.prepare(request, call);
      const answer = await family.complete(exchange, call.modelId, prepared, call.signal);
      const shaped = prepared.outputTool ? fromOutputTool(answer, prepared.outputTool) : answer;
      return toChatCompletionResponse(shaped, call.modelId);
    },
    async *stream(request, call) {
      const prepared = await family.prepare(request, call);
      yield* toAnswerChunks(
        family.stream(exchange, call.modelId, prepared, call.signal),
        family.mapper(),
        call.modelId,
        {
          ...(prepared.outputTool ? { outputTool: prepared.outputTool } : {}),
        },
      );
    },
  };
}
