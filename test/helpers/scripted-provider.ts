/**
 * A ChatProvider whose answers each test writes, for unit tests of the core
 * (routing, usage, cancellation, model listing). It records every call.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type ChatCompletionRequest,
  type ChatCompletionResponse,
  ChatCompletionResponseSchema,
  type Model,
  ModelSchema,
} from "../../gen/openbedrock/v1/chat_pb.js";
import type { ProviderName } from "../../src/core/model-router.js";
import { ModelRoutes, type ModelRoutesOptions } from "../../src/core/model-routes.js";
import type { ChatProvider, ProviderCall } from "../../src/core/provider.js";
import { type ProviderFactories, ProviderRegistry } from "../../src/core/provider-registry.js";

export type ChunkInit = MessageInitShape<typeof ChatCompletionChunkSchema>;

export interface ScriptedProviderOptions {
  answer?: (request: ChatCompletionRequest, call: ProviderCall) => Promise<ChatCompletionResponse>;
  stream?: (request: ChatCompletionRequest, call: ProviderCall) => AsyncIterable<ChatCompletionChunk>;
  models?: (signal: AbortSignal) => Promise<Model[]>;
}

export class ScriptedProvider implements ChatProvider {
  readonly calls: { request: ChatCompletionRequest; call: ProviderCall }[] = [];
  readonly listSignals: AbortSignal[] = [];

  constructor(
    readonly name: ProviderName,
    readonly options: ScriptedProviderOptions = {},
  ) {}

  createChatCompletion(request: ChatCompletionRequest, call: ProviderCall): Promise<ChatCompletionResponse> {
    this.calls.push({ request, call });
    return this.options.answer ? this.options.answer(request, call) : Promise.resolve(answerFrom(this.name, call));
  }

  streamChatCompletion(request: ChatCompletionRequest, call: ProviderCall): AsyncIterable<ChatCompletionChunk> {
    this.calls.push({ request, call });
    return this.options.stream ? this.options.stream(request, call) : chunksOf(textChunks(call.modelId, ["Hi"]));
  }

  listModels(signal: AbortSignal): Promise<Model[]> {
    this.listSignals.push(signal);
    return this.options.models ? this.options.models(signal) : Promise.resolve([]);
  }
}

/** The routing of these providers (and, if given, of a models file's names), the default model gpt-4o-mini. */
export function routesOf(providers: readonly ChatProvider[], options: Partial<ModelRoutesOptions> = {}): ModelRoutes {
  const factories: ProviderFactories = {};
  for (const provider of providers) factories[provider.name] = () => provider;
  return new ModelRoutes(new ProviderRegistry(factories), { defaultOpenAIModel: "gpt-4o-mini", ...options });
}

/** A complete answer that names the provider and model it came from. */
export function answerFrom(provider: string, call: ProviderCall): ChatCompletionResponse {
  return create(ChatCompletionResponseSchema, {
    id: "chatcmpl-test",
    created: 1_700_000_000n,
    model: call.modelId,
    choices: [{ index: 0, message: { role: "assistant", content: `answered by ${provider}` }, finishReason: "stop" }],
    usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
  });
}

/** A text stream as providers send it: role chunk, text, finish, then the usage chunk. */
export function textChunks(model: string, texts: string[]): ChunkInit[] {
  const base = { id: "chatcmpl-test", created: 1_700_000_000n, model };
  return [
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" } }] },
    ...texts.map((content) => ({ ...base, choices: [{ index: 0, delta: { content } }] })),
    { ...base, choices: [{ index: 0, delta: {}, finishReason: "stop" }] },
    { ...base, choices: [], usage: { promptTokens: 3, completionTokens: texts.length, totalTokens: 3 + texts.length } },
  ];
}

export async function* chunksOf(chunks: ChunkInit[]): AsyncGenerator<ChatCompletionChunk> {
  for (const chunk of chunks) yield create(ChatCompletionChunkSchema, chunk);
}

export function model(id: string, ownedBy = "test", created = 0n): Model {
  return create(ModelSchema, { id, ownedBy, created });
}
