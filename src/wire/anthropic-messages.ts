/**
 * The Anthropic Messages format as Bedrock carries it: the InvokeModel body
 * for Claude models, the JSON answer, and the events of
 * InvokeModelWithResponseStream (each one base64 inside a `chunk` frame).
 * On Bedrock the model id travels in the path, never in the body, and
 * `anthropic_version` is required.
 * Sources: anthropic-sdk-typescript `src/resources/messages/messages.ts`;
 * AWS Bedrock user guide `model-parameters-anthropic-claude-messages`;
 * test/fixtures/wire/bedrock/claude_*.
 */
import type { BedrockInvocationMetrics } from "./bedrock-runtime.js";

export const ANTHROPIC_BEDROCK_VERSION = "bedrock-2023-05-31";

type AnthropicRole = "user" | "assistant";

/** Image media types Claude accepts. */
export const ANTHROPIC_IMAGE_MEDIA_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;
type AnthropicImageMediaType = (typeof ANTHROPIC_IMAGE_MEDIA_TYPES)[number];

/** Marks a prompt prefix for caching. */
export interface AnthropicCacheControl {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

// ---------------------------------------------------------------- request blocks

interface AnthropicTextBlockParam {
  type: "text";
  text: string;
  cache_control?: AnthropicCacheControl | null;
  citations?: AnthropicCitation[] | null;
}

interface AnthropicBase64ImageSource {
  type: "base64";
  media_type: AnthropicImageMediaType;
  /** The image bytes, base64 (no `data:` prefix). */
  data: string;
}

/** Accepted by Anthropic's own API; Bedrock documents only base64 sources. */
interface AnthropicUrlImageSource {
  type: "url";
  url: string;
}

interface AnthropicImageBlockParam {
  type: "image";
  source: AnthropicBase64ImageSource | AnthropicUrlImageSource;
  cache_control?: AnthropicCacheControl | null;
}

interface AnthropicBase64PdfSource {
  type: "base64";
  media_type: "application/pdf";
  data: string;
}

interface AnthropicPlainTextSource {
  type: "text";
  media_type: "text/plain";
  data: string;
}

interface AnthropicContentBlockSource {
  type: "content";
  content: string | (AnthropicTextBlockParam | AnthropicImageBlockParam)[];
}

export interface AnthropicDocumentBlockParam {
  type: "document";
  source: AnthropicBase64PdfSource | AnthropicPlainTextSource | AnthropicContentBlockSource;
  title?: string | null;
  context?: string | null;
  citations?: { enabled?: boolean } | null;
  cache_control?: AnthropicCacheControl | null;
}

interface AnthropicToolUseBlockParam {
  type: "tool_use";
  id: string;
  name: string;
  /** The call's arguments: a JSON object. */
  input: Record<string, unknown>;
  cache_control?: AnthropicCacheControl | null;
}

interface AnthropicToolResultBlockParam {
  type: "tool_result";
  tool_use_id: string;
  content?: string | (AnthropicTextBlockParam | AnthropicImageBlockParam | AnthropicDocumentBlockParam)[];
  is_error?: boolean;
  cache_control?: AnthropicCacheControl | null;
}

interface AnthropicThinkingBlockParam {
  type: "thinking";
  thinking: string;
  signature: string;
}

interface AnthropicRedactedThinkingBlockParam {
  type: "redacted_thinking";
  data: string;
}

export type AnthropicContentBlockParam =
  | AnthropicTextBlockParam
  | AnthropicImageBlockParam
  | AnthropicDocumentBlockParam
  | AnthropicToolUseBlockParam
  | AnthropicToolResultBlockParam
  | AnthropicThinkingBlockParam
  | AnthropicRedactedThinkingBlockParam;

export interface AnthropicMessageParam {
  role: AnthropicRole;
  /** A string is shorthand for one text block. */
  content: string | AnthropicContentBlockParam[];
}

// ---------------------------------------------------------------- tools

/** A JSON Schema whose top level is an object. */
export interface AnthropicInputSchema {
  type: "object";
  properties?: Record<string, unknown> | null;
  required?: string[] | null;
  [keyword: string]: unknown;
}

/** A tool the caller defines (`type` may be left out). */
interface AnthropicCustomTool {
  type?: "custom";
  name: string;
  description?: string;
  input_schema: AnthropicInputSchema;
  /** The calls follow the schema (Claude 4.5 and later). */
  strict?: boolean;
  cache_control?: AnthropicCacheControl | null;
}

/** A tool Anthropic defines (`bash_20250124`, `text_editor_20250124`, `computer_20250124`, ...). */
interface AnthropicVersionedTool {
  type: `${"bash" | "text_editor" | "computer" | "web_search"}_${string}`;
  name: string;
  cache_control?: AnthropicCacheControl | null;
  [setting: string]: unknown;
}

export type AnthropicTool = AnthropicCustomTool | AnthropicVersionedTool;

export type AnthropicToolChoice =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export type AnthropicThinkingConfig = { type: "enabled"; budget_tokens: number } | { type: "disabled" };

/** Structured output: the answer's text is JSON that follows the schema (Claude 4.5 and later). */
export interface AnthropicOutputConfig {
  format: { type: "json_schema"; schema: Record<string, unknown> };
}

// ---------------------------------------------------------------- request

/** The InvokeModel / InvokeModelWithResponseStream body for a Claude model. */
export interface AnthropicMessagesRequest {
  anthropic_version: typeof ANTHROPIC_BEDROCK_VERSION;
  /** Beta features, e.g. `computer-use-2025-01-24`. */
  anthropic_beta?: string[];
  /** Required: the most tokens to generate. */
  max_tokens: number;
  messages: AnthropicMessageParam[];
  system?: string | AnthropicTextBlockParam[];
  stop_sequences?: string[];
  /** 0 to 1. */
  temperature?: number;
  /** 0 to 1. */
  top_p?: number;
  top_k?: number;
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinkingConfig;
  output_config?: AnthropicOutputConfig;
  /** Only `user_id` (Bedrock refuses any other key). */
  metadata?: { user_id?: string | null };
}

// ---------------------------------------------------------------- response

type AnthropicCitation = { type: string; cited_text: string; [location: string]: unknown };

interface AnthropicTextBlock {
  type: "text";
  text: string;
  citations?: AnthropicCitation[] | null;
}

interface AnthropicToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
}

interface AnthropicThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}

interface AnthropicRedactedThinkingBlock {
  type: "redacted_thinking";
  data: string;
}

export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicToolUseBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

export type AnthropicStopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded";

/** `input_tokens` excludes the cache reads and writes, which are counted apart. */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null;
  server_tool_use?: { web_search_requests: number } | null;
  service_tier?: string | null;
}

/** The InvokeModel answer for a Claude model. */
export interface AnthropicMessage {
  /** `msg_bdrk_...` on Bedrock. */
  id: string;
  type: "message";
  role: "assistant";
  /** The short model name, e.g. `claude-3-5-sonnet-20240620`. */
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
  /** Bedrock's, with a guardrail: `INTERVENED` when it blocked the prompt or the answer. */
  "amazon-bedrock-guardrailAction"?: "INTERVENED" | "NONE";
  /** Bedrock's, with a guardrail trace asked for. */
  "amazon-bedrock-trace"?: { guardrail?: unknown };
}

// ---------------------------------------------------------------- stream events

interface AnthropicMessageStartEvent {
  type: "message_start";
  /** The message shell: empty content, null stop_reason, input usage. */
  message: AnthropicMessage;
}

interface AnthropicContentBlockStartEvent {
  type: "content_block_start";
  index: number;
  /** A `tool_use` block starts with `input: {}`; the input then arrives as JSON fragments. */
  content_block: AnthropicContentBlock;
}

type AnthropicContentBlockDelta =
  | { type: "text_delta"; text: string }
  | { type: "input_json_delta"; partial_json: string }
  | { type: "thinking_delta"; thinking: string }
  | { type: "signature_delta"; signature: string }
  | { type: "citations_delta"; citation: AnthropicCitation };

interface AnthropicContentBlockDeltaEvent {
  type: "content_block_delta";
  index: number;
  delta: AnthropicContentBlockDelta;
}

interface AnthropicContentBlockStopEvent {
  type: "content_block_stop";
  index: number;
}

/** Usage in `message_delta`: `output_tokens` is the final cumulative count. */
interface AnthropicMessageDeltaUsage {
  output_tokens: number;
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

interface AnthropicMessageDeltaEvent {
  type: "message_delta";
  delta: { stop_reason: AnthropicStopReason | null; stop_sequence: string | null };
  usage: AnthropicMessageDeltaUsage;
  /** Bedrock's, with a guardrail. */
  "amazon-bedrock-guardrailAction"?: "INTERVENED" | "NONE";
  "amazon-bedrock-trace"?: { guardrail?: unknown };
}

interface AnthropicMessageStopEvent {
  type: "message_stop";
  /** Bedrock's addition to the last event. */
  "amazon-bedrock-invocationMetrics"?: BedrockInvocationMetrics;
  /** Bedrock's, with a guardrail. */
  "amazon-bedrock-guardrailAction"?: "INTERVENED" | "NONE";
  "amazon-bedrock-trace"?: { guardrail?: unknown };
}

interface AnthropicPingEvent {
  type: "ping";
}

export const ANTHROPIC_ERROR_TYPES = [
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "api_error",
  "overloaded_error",
] as const;
export type AnthropicErrorType = (typeof ANTHROPIC_ERROR_TYPES)[number];

/** A failure reported inside the stream as an event. */
export interface AnthropicErrorEvent {
  type: "error";
  error: { type: AnthropicErrorType | (string & {}); message: string };
}

export type AnthropicStreamEvent =
  | AnthropicMessageStartEvent
  | AnthropicContentBlockStartEvent
  | AnthropicContentBlockDeltaEvent
  | AnthropicContentBlockStopEvent
  | AnthropicMessageDeltaEvent
  | AnthropicMessageStopEvent
  | AnthropicPingEvent
  | AnthropicErrorEvent;
