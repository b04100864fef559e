import type { ChatCompletionRequest } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { type OptionalParameters, readParameters } from "../../../core/parameter-table.js";
import {
  ANTHROPIC_BEDROCK_VERSION,
  type AnthropicContentBlockParam,
  type AnthropicInputSchema,
  type AnthropicMessageParam,
  type AnthropicMessagesRequest,
  type AnthropicTool,
  type AnthropicToolChoice,
} from "../../../wire/anthropic-messages.js";
import type { BedrockConversation, Turn, TurnBlock } from "../bedrock-conversation.js";
import { maxTokensOf, stopSequencesOf } from "../generation-limits.js";
import { IMAGE_MEDIA_TYPES } from "../images/image-format.js";
import { selectTools, type ToolSelection } from "../tool-selection.js";

/** Claude requires max_tokens; every Claude model on Bedrock can produce this many. */
export const CLAUDE_DEFAULT_MAX_TOKENS = 4096;

export interface ClaudeRequestInput {
  request: ChatCompletionRequest;
  conversation: BedrockConversation;
  tools: ToolSelection;
}

function claudeBlock(block: TurnBlock): AnthropicContentBlockParam {
  switch (block.kind) {
    case "text":
      return { type: "text", text: block.text };
    case "image":
      return {
        type: "image",
        source: { type: "base64", media_type: IMAGE_MEDIA_TYPES[block.image.format], data: block.image.base64 },
      };
    case "tool-use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input };
    case "tool-result":
      return {
        type: "tool_result",
        tool_use_id: block.toolUseId,
        // Claude refuses text blocks of only whitespace; a blank result is a result without content.
        ...(block.text.trim() === "" ? {} : { content: [{ type: "text", text: block.text }] }),
      };
  }
}

function claudeMessage(turn: Turn): AnthropicMessageParam {
  return { role: turn.role, content: turn.blocks.map(claudeBlock) };
}

function claudeTools({ tools }: ToolSelection): AnthropicTool[] | undefined {
  if (tools.length === 0) return undefined;
  return tools.map((tool) => ({
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    input_schema: tool.schema as AnthropicInputSchema,
  }));
}

/**
 * Claude's tool_choice. `none` is left out: Anthropic's own API takes
 * `{"type":"none"}`, but Bedrock refuses it ("Input tag 'none' ... does not
 * match any of the expected tags: 'auto', 'any', 'tool'"). Tools the
 * history requires are then sent with no tool_choice (Claude's default, `auto`).
 */
function claudeToolChoice({ tools, mode, oneCallOnly }: ToolSelection): AnthropicToolChoice | undefined {
  if (tools.length === 0) return undefined;
  const parallel = oneCallOnly ? { disable_parallel_tool_use: true } : {};
  switch (mode.kind) {
    case "default":
      return oneCallOnly ? { type: "auto", ...parallel } : undefined;
    case "auto":
      return { type: "auto", ...parallel };
    case "any":
      return { type: "any", ...parallel };
    case "tool":
      return { type: "tool", name: mode.name, ...parallel };
    case "none":
      return undefined;
  }
}

/**
 * The Anthropic Messages body's optional parameters, each read from the
 * canonical request and its conversation; the required ones are written
 * where the body is built.
 */
const PARAMETERS: OptionalParameters<AnthropicMessagesRequest, ClaudeRequestInput> = {
  anthropic_beta: () => undefined,
  system: ({ conversation }) =>
    conversation.system.length <= 1
      ? conversation.system[0]
      : conversation.system.map((text) => ({ type: "text" as const, text })),
  temperature: ({ request }) => request.temperature,
  top_p: ({ request }) => request.topP,
  top_k: ({ request }) => request.topK,
  stop_sequences: ({ request }) => stopSequencesOf(request),
  tools: ({ tools }) => claudeTools(tools),
  tool_choice: ({ tools }) => claudeToolChoice(tools),
  thinking: () => undefined,
  metadata: () => undefined,
};

/** The InvokeModel body for a Claude model. */
export function toClaudeRequest(
  request: ChatCompletionRequest,
  conversation: BedrockConversation,
): AnthropicMessagesRequest {
  const input: ClaudeRequestInput = { request, conversation, tools: selectTools(request, conversation) };
  return {
    anthropic_version: ANTHROPIC_BEDROCK_VERSION,
    max_tokens: maxTokensOf(request) ?? CLAUDE_DEFAULT_MAX_TOKENS,
    messages: conversation.turns.map(claudeMessage),
    ...readParameters(PARAMETERS, input),
  };
}
