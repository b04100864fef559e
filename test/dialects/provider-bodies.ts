/**
 * The Bedrock provider's own converters, used by the formats tests as the
 * other half of each round trip: canonical request -> Claude / Titan body,
 * Claude / Titan answer -> canonical answer.
 */
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { toAnswerChunks } from "../../src/providers/bedrock/answer-chunks.js";
import { toChatCompletionResponse } from "../../src/providers/bedrock/assistant-answer.js";
import { ClaudeStreamMapper } from "../../src/providers/bedrock/claude/claude-stream-mapper.js";
import { fromClaudeMessage, readClaudeMessage } from "../../src/providers/bedrock/claude/from-claude-response.js";
import { fromTitanResponse, readTitanResponse } from "../../src/providers/bedrock/titan/from-titan-response.js";
import { TitanStreamMapper } from "../../src/providers/bedrock/titan/titan-stream-mapper.js";
import type { AnthropicMessage, AnthropicMessagesRequest } from "../../src/wire/anthropic-messages.js";
import type { TitanTextRequest, TitanTextResponse } from "../../src/wire/titan-text.js";
import { asStream, claudeBody, collect, titanBody } from "../providers/bedrock/wire-fixtures.js";

/** The InvokeModel body the Claude provider sends for a request (data-URL images only: nothing is fetched). */
export function providerClaudeBody(request: ChatCompletionRequest): Promise<AnthropicMessagesRequest> {
  return claudeBody(request);
}

/** The InvokeModel body the Titan provider sends for a (text-only) request. */
export function providerTitanBody(request: ChatCompletionRequest): TitanTextRequest {
  return titanBody(request);
}

/** A Claude answer as the Claude provider reads it. */
export function providerReadsClaude(message: AnthropicMessage, model = "m"): ChatCompletionResponse {
  return toChatCompletionResponse(fromClaudeMessage(readClaudeMessage(message)), model);
}

/** A Titan answer as the Titan provider reads it. */
export function providerReadsTitan(response: TitanTextResponse, model = "m"): ChatCompletionResponse {
  return toChatCompletionResponse(fromTitanResponse(readTitanResponse(response)), model);
}

/** Claude stream events as the Claude provider reads them. */
export function providerReadsClaudeStream(events: unknown[], model = "m"): Promise<ChatCompletionChunk[]> {
  return collect(toAnswerChunks(asStream(events), new ClaudeStreamMapper(), model));
}

/** Titan stream chunks as the Titan provider reads them. */
export function providerReadsTitanStream(chunks: unknown[], model = "m"): Promise<ChatCompletionChunk[]> {
  return collect(toAnswerChunks(asStream(chunks), new TitanStreamMapper(), model));
}
