import type { Dialect } from "../dialect.js";
import { errorAnswer, type OpenAIErrorBody } from "./error-body.js";
import { openAIStreamWriter } from "./openai-stream-writer.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { type ChatCompletionJson, chatCompletionJson } from "./to-openai-json.js";

/**
 * OpenAI Chat Completions: the body the official SDKs send, and answers
 * exactly as OpenAI gives them. Its answers carry whatever the canonical
 * ones do, so it asks nothing of a request; the model and streaming are
 * the body's own.
 */
export const openAIChat: Dialect<ChatCompletionJson, OpenAIErrorBody> = {
  readRequest: (body) => parseChatRequest(body),
  prepareAnswer: () => {},
  writeAnswer: chatCompletionJson,
  writeStream: (request) => openAIStreamWriter(request.streamOptions?.includeUsage === true),
  writeError: errorAnswer,
};
