import { fromClaudeRequest } from "./anthropic-messages/from-anthropic-request.js";
import { fromTitanRequest } from "./bedrock-titan/from-titan-request.js";
import { parseChatRequest } from "./openai-chat/parse-chat-request.js";
import { type ForeignRequest, readBedrockQuery } from "./shared/bedrock-query.js";
import { detectRequestFormat, type RequestFormat } from "./shared/detect-request-format.js";

const READERS: Record<RequestFormat, (body: unknown, query: URLSearchParams) => ForeignRequest> = {
  openai: (body) => parseChatRequest(body),
  // Bedrock bodies have no place for the model or for streaming: the query carries them.
  bedrock_claude: (body, query) => fromClaudeRequest(body, readBedrockQuery(query)),
  bedrock_titan: (body, query) => fromTitanRequest(body, readBedrockQuery(query)),
};

/** Reads a chat request body in whichever accepted format it is. */
export function readChatBody(body: unknown, query: URLSearchParams): ForeignRequest & { format: RequestFormat } {
  const format = detectRequestFormat(body);
  return { format, ...READERS[format](body, query) };
}
