import { InvalidRequestError } from "../../../core/errors.js";
import { type OptionalParameters, readParameters } from "../../../core/parameter-table.js";
import {
  ANTHROPIC_BEDROCK_VERSION,
  type AnthropicCacheControl,
  type AnthropicContentBlockParam,
  type AnthropicDocumentBlockParam,
  type AnthropicInputSchema,
  type AnthropicMessageParam,
  type AnthropicMessagesRequest,
  type AnthropicThinkingConfig,
  type AnthropicTool,
  type AnthropicToolChoice,
} from "../../../wire/anthropic-messages.js";
import type { CacheMark, Turn, TurnBlock } from "../bedrock-conversation.js";
import type { BedrockRequest } from "../bedrock-request.js";
import type { BedrockDocument } from "../documents/read-document.js";
import { CLAUDE_TEXT_FORMATS } from "../documents/read-document.js";
import { CLAUDE_DEFAULT_MAX_TOKENS, maxTokensOf, stopSequencesOf } from "../generation-limits.js";
import { IMAGE_MEDIA_TYPES } from "../images/image-format.js";
import type { ToolSelection } from "../tool-selection.js";

/** Claude's `cache_control` for a cache mark: the TTL only when the caller chose one. */
function cacheControl(cache: CacheMark | undefined): { cache_control?: AnthropicCacheControl } {
  if (!cache) return {};
  return { cache_control: { type: "ephemeral", ...(cache.ttl ? { ttl: cache.ttl } : {}) } };
}

/** Claude reads PDF as base64 and the text formats as plain text; Word and Excel only through Converse. */
function claudeDocument(document: BedrockDocument): AnthropicDocumentBlockParam {
  if (document.format === "pdf") {
    return {
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: document.base64 },
      title: document.name,
    };
  }
  if (CLAUDE_TEXT_FORMATS.includes(document.format)) {
    return {
      type: "document",
      source: { type: "text", media_type: "text/plain", data: Buffer.from(document.base64, "base64").toString("utf8") },
      title: document.name,
    };
  }
  throw new InvalidRequestError(
    `'${document.param}' is not supported for Claude models on Bedrock: Claude reads PDF and text documents, not '${document.format}'.`,
    { param: document.param, code: "unsupported_parameter" },
  );
}

function claudeBlock(block: TurnBlock): AnthropicContentBlockParam {
  const cache = cacheControl(block.cache);
  switch (block.kind) {
    case "text":
      return { type: "text", text: block.text, ...cache };
    case "image":
      return {
        type: "image",
        source: { type: "base64", media_type: IMAGE_MEDIA_TYPES[block.image.format], data: block.image.base64 },
        ...cache,
      };
    case "document":
      return { ...claudeDocument(block.document), ...cache };
    case "tool-use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input, ...cache };
    case "tool-result":
      return {
        type: "tool_result",
        tool_use_id: block.toolUseId,
        // Claude refuses text blocks of only whitespace; a blank result is a result without content.
        ...(block.text.trim() === "" ? {} : { content: [{ type: "text", text: block.text }] }),
        ...cache,
      };
    case "thinking":
      return { type: "thinking", thinking: block.thinking, signature: block.signature };
    case "redacted-thinking":
      return { type: "redacted_thinking", data: block.data };
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
    ...(tool.strict ? { strict: true } : {}),
    ...cacheControl(tool.cache),
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

/** The system prompt: a string, or text blocks when there are several or one carries a cache mark. */
function claudeSystem({ conversation }: BedrockRequest): AnthropicMessagesRequest["system"] {
  const system = conversation.system;
  if (system.length === 1 && !system[0]?.cache) return system[0]?.text;
  if (system.length === 0) return undefined;
  return system.map((text) => ({ type: "text" as const, text: text.text, ...cacheControl(text.cache) }));
}

/**
 * The Anthropic Messages body's optional parameters, each read from the
 * prepared request; the required ones are written where the body is built.
 */
const PARAMETERS: OptionalParameters<AnthropicMessagesRequest, BedrockRequest> = {
  anthropic_beta: ({ controls }) => controls.anthropicBeta,
  system: claudeSystem,
  temperature: ({ request }) => request.temperature,
  top_p: ({ request }) => request.topP,
  top_k: ({ request }) => request.topK,
  stop_sequences: ({ request }) => stopSequencesOf(request),
  tools: ({ tools }) => claudeTools(tools),
  tool_choice: ({ tools }) => claudeToolChoice(tools),
  thinking: ({ reasoning }) =>
    reasoning?.kind === "claude-thinking" ? (reasoning.thinking as unknown as AnthropicThinkingConfig) : undefined,
  output_config: ({ output }) =>
    output.kind === "native" ? { format: { type: "json_schema", schema: output.schema } } : undefined,
  metadata: ({ controls }) => (controls.userId === undefined ? undefined : { user_id: controls.userId }),
};

/** The InvokeModel body for a Claude model. */
export function toClaudeRequest(prepared: BedrockRequest): AnthropicMessagesRequest {
  const { request, reasoning, conversation } = prepared;
  return {
    anthropic_version: ANTHROPIC_BEDROCK_VERSION,
    max_tokens:
      reasoning?.kind === "claude-thinking" ? reasoning.maxTokens : (maxTokensOf(request) ?? CLAUDE_DEFAULT_MAX_TOKENS),
    messages: conversation.turns.map(claudeMessage),
    ...readParameters(PARAMETERS, prepared),
  };
}
