/**
 * What the converter tests share: the recorded wire examples, read by the
 * one reader (test/helpers/wire-fixtures.ts) under the names these tests
 * use, OpenAI request bodies read as canonical requests, and small stream
 * helpers, and the calls each family makes for a request (through the
 * family's own `prepare`, as the provider does).
 */
import type { ChatCompletionRequest } from "../../../gen/openbedrock/v1/chat_pb.js";
import { parseChatRequest } from "../../../src/dialects/openai-chat/parse-chat-request.js";
import { type BedrockSettings, DEFAULT_BEDROCK_SETTINGS } from "../../../src/providers/bedrock/bedrock-controls.js";
import type { ImageLoader } from "../../../src/providers/bedrock/bedrock-request.js";
import { claudeFamily } from "../../../src/providers/bedrock/claude/claude-strategy.js";
import { converseFamily } from "../../../src/providers/bedrock/converse/converse-strategy.js";
import type { FamilyCall } from "../../../src/providers/bedrock/family-strategy.js";
import { ImageFetcher } from "../../../src/providers/bedrock/images/image-fetcher.js";
import { loadConversationImages } from "../../../src/providers/bedrock/load-conversation-images.js";
import { titanFamily } from "../../../src/providers/bedrock/titan/titan-strategy.js";
import type { AnthropicMessagesRequest } from "../../../src/wire/anthropic-messages.js";
import type { ConverseRequest, ConverseStreamEvent } from "../../../src/wire/bedrock-converse.js";
import type { TitanTextRequest } from "../../../src/wire/titan-text.js";
import { converseStreamEvents as readConverseStreamEvents } from "../../helpers/wire-fixtures.js";

export {
  invokeStreamEvents,
  wireBody as fixtureJson,
  wireEventStream as fixtureEventStream,
  wireText as fixtureText,
} from "../../helpers/wire-fixtures.js";

/** The events of a recorded ConverseStream body, typed as the converters read them. */
export function converseStreamEvents(path: string): ConverseStreamEvent[] {
  return readConverseStreamEvents<ConverseStreamEvent>(path);
}

/** An OpenAI Chat Completions body, read by the server's own parser into the canonical request. */
export function canonicalRequest(body: unknown): ChatCompletionRequest {
  return parseChatRequest(body).request;
}

export async function* asStream<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const loadImages: ImageLoader = (messages, signal) => loadConversationImages(messages, new ImageFetcher(), signal);

/** The call the Claude family makes for a request (data-URL images only: nothing is fetched). */
export function claudeCall(
  request: ChatCompletionRequest,
  modelId = request.model,
  settings: BedrockSettings = DEFAULT_BEDROCK_SETTINGS,
): Promise<FamilyCall<AnthropicMessagesRequest>> {
  return Promise.resolve(
    claudeFamily(loadImages, settings).prepare(request, { modelId, signal: AbortSignal.timeout(5_000) }),
  );
}

/** The call the Converse family makes for a request. */
export function converseCall(
  request: ChatCompletionRequest,
  modelId = request.model,
  settings: BedrockSettings = DEFAULT_BEDROCK_SETTINGS,
): Promise<FamilyCall<ConverseRequest>> {
  return Promise.resolve(
    converseFamily(loadImages, settings).prepare(request, { modelId, signal: AbortSignal.timeout(5_000) }),
  );
}

/** The InvokeModel body of a Claude request. */
export async function claudeBody(
  request: ChatCompletionRequest,
  modelId = request.model,
): Promise<AnthropicMessagesRequest> {
  return (await claudeCall(request, modelId)).body;
}

/** The Converse body of a request. */
export async function converseBody(request: ChatCompletionRequest, modelId = request.model): Promise<ConverseRequest> {
  return (await converseCall(request, modelId)).body;
}

/** The InvokeModel body of a (text-only) Titan request. */
export function titanBody(request: ChatCompletionRequest, modelId = "amazon.titan-text-express-v1"): TitanTextRequest {
  return titanFamily(DEFAULT_BEDROCK_SETTINGS).prepare(request, { modelId }).body;
}
