import { type ForeignRequest, readBedrockQuery } from "../../formats/bedrock-body.js";
import { fromClaudeRequest } from "../../formats/claude/from-claude-request.js";
import { detectRequestFormat, type RequestFormat } from "../../formats/detect-request-format.js";
import { fromTitanRequest } from "../../formats/titan/from-titan-request.js";
import { parseChatRequest } from "./parse-chat-request.js";

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
