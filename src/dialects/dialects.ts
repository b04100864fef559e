import { anthropicMessages } from "./anthropic-messages/anthropic-messages-dialect.js";
import { bedrockTitan } from "./bedrock-titan/bedrock-titan-dialect.js";
import type { Dialect } from "./dialect.js";
import { openAIChat } from "./openai-chat/openai-chat-dialect.js";
import type { TargetFormat } from "./shared/target-format.js";

/**
 * The dialects by the names `POST /v1/chat/completions` gives them: the
 * formats of the bodies it reads and the `target_format` of its answers.
 */
export const DIALECTS: Record<TargetFormat, Dialect> = {
  openai: openAIChat,
  bedrock_claude: anthropicMessages,
  bedrock_titan: bedrockTitan,
};
