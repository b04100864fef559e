/**
 * The Bedrock Converse / ConverseStream JSON wire format (rest-json, API
 * 2023-09-30). Blobs (image and document bytes) are base64 strings on the
 * wire. Every union (content block, tool choice, stream event) is an object
 * with exactly one key.
 * Sources: botocore `bedrock-runtime/2023-09-30/service-2.json`;
 * test/fixtures/wire/bedrock/converse_*.
 */

type ConverseRole = "user" | "assistant";

export const CONVERSE_IMAGE_FORMATS = ["png", "jpeg", "gif", "webp"] as const;
type ConverseImageFormat = (typeof CONVERSE_IMAGE_FORMATS)[number];

interface ConverseS3Location {
  uri: string;
  bucketOwner?: string;
}

export interface ConverseImageBlock {
  format: ConverseImageFormat;
  /** `bytes` is base64 on the wire. */
  source: { bytes: string } | { s3Location: ConverseS3Location };
}

export const CONVERSE_DOCUMENT_FORMATS = ["pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"] as const;
export type ConverseDocumentFormat = (typeof CONVERSE_DOCUMENT_FORMATS)[number];

export interface ConverseDocumentBlock {
  format: ConverseDocumentFormat;
  /** Letters, digits, single spaces, hyphens, parentheses and square brackets; unique in a request. */
  name: string;
  source: { bytes: string } | { s3Location: ConverseS3Location } | { text: string };
}

interface ConverseToolUseBlock {
  /** 1..64 characters of `[a-zA-Z0-9_.:-]`. */
  toolUseId: string;
  name: string;
  /** The call's arguments, a JSON document. */
  input: unknown;
}

export type ConverseToolResultContent =
  | { text: string }
  | { json: unknown }
  | { image: ConverseImageBlock }
  | { document: ConverseDocumentBlock };

interface ConverseToolResultBlock {
  toolUseId: string;
  content: ConverseToolResultContent[];
  status?: "success" | "error";
}

export interface ConverseReasoningContent {
  reasoningText?: { text: string; signature?: string };
  /** base64 */
  redactedContent?: string;
}

export interface ConverseCachePoint {
  type: "default";
  /** `5m` (the default) or `1h`; never increasing along tools, system, messages. */
  ttl?: "5m" | "1h";
}

export type ConverseContentBlock =
  | { text: string }
  | { image: ConverseImageBlock }
  | { document: ConverseDocumentBlock }
  | { toolUse: ConverseToolUseBlock }
  | { toolResult: ConverseToolResultBlock }
  | { reasoningContent: ConverseReasoningContent }
  | { cachePoint: ConverseCachePoint }
  | { guardContent: { text: { text: string } } };

export interface ConverseMessage {
  role: ConverseRole;
  content: ConverseContentBlock[];
}

/** System text must not be empty. */
export type ConverseSystemContentBlock =
  | { text: string }
  | { cachePoint: ConverseCachePoint }
  | { guardContent: { text: { text: string } } };

export interface ConverseInferenceConfiguration {
  /** At least 1; by default the model's maximum. */
  maxTokens?: number;
  /** 0 to 1. */
  temperature?: number;
  /** 0 to 1. */
  topP?: number;
  /** Non-empty strings. */
  stopSequences?: string[];
}

interface ConverseToolSpecification {
  /** 1..64 characters of `[a-zA-Z0-9_-]`. */
  name: string;
  description?: string;
  /** A JSON Schema whose top level is an object. */
  inputSchema: { json: unknown };
  /** The calls follow the schema (Bedrock's structured output). */
  strict?: boolean;
}

/** No `none` member: to forbid tools, leave `toolChoice` (and if possible `toolConfig`) out. */
export type ConverseToolChoice =
  | { auto: Record<string, never> }
  | { any: Record<string, never> }
  | { tool: { name: string } };

export interface ConverseToolConfiguration {
  tools: ({ toolSpec: ConverseToolSpecification } | { cachePoint: ConverseCachePoint })[];
  toolChoice?: ConverseToolChoice;
}

export interface ConverseGuardrailConfiguration {
  guardrailIdentifier: string;
  guardrailVersion: string;
  trace?: "enabled" | "disabled" | "enabled_full";
}

export type ConverseServiceTierType = "default" | "flex" | "priority" | "reserved";

/** Structured output: the answer's text is JSON that follows the schema (given as a JSON text). */
export interface ConverseOutputConfig {
  textFormat: {
    type: "json_schema";
    structure: { jsonSchema: { schema: string; name?: string; description?: string } };
  };
}

/** The Converse / ConverseStream body (the model id is in the path). */
export interface ConverseRequest {
  messages: ConverseMessage[];
  system?: ConverseSystemContentBlock[];
  inferenceConfig?: ConverseInferenceConfiguration;
  toolConfig?: ConverseToolConfiguration;
  guardrailConfig?: ConverseGuardrailConfiguration;
  /** Model-specific parameters, e.g. `{"top_k": 250}` for Claude. */
  additionalModelRequestFields?: Record<string, unknown>;
  /** JSON pointers into the model's native answer to return. */
  additionalModelResponseFieldPaths?: string[];
  /** Keys and values of `[a-zA-Z0-9\s:_@$#=/+,-.]`, at most 256 characters; they filter invocation logs. */
  requestMetadata?: Record<string, string>;
  performanceConfig?: { latency: "standard" | "optimized" };
  serviceTier?: { type: ConverseServiceTierType };
  outputConfig?: ConverseOutputConfig;
}

export type ConverseStopReason =
  | "end_turn"
  | "tool_use"
  | "max_tokens"
  | "stop_sequence"
  | "guardrail_intervened"
  | "content_filtered"
  | "malformed_model_output"
  | "malformed_tool_use"
  | "model_context_window_exceeded";

/** `totalTokens` = input + cache reads + cache writes + output. */
export interface ConverseTokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

interface ConverseMetrics {
  latencyMs: number;
}

/** The Converse answer. */
export interface ConverseResponse {
  output: { message: ConverseMessage };
  stopReason: ConverseStopReason;
  usage: ConverseTokenUsage;
  metrics: ConverseMetrics;
  additionalModelResponseFields?: Record<string, unknown>;
  trace?: { guardrail?: unknown; [trace: string]: unknown };
  performanceConfig?: { latency: "standard" | "optimized" };
  serviceTier?: { type: ConverseServiceTierType };
}

// ---------------------------------------------------------------- ConverseStream events

interface ConverseMessageStartEvent {
  role: ConverseRole;
}

/** Sent for tool-use blocks; text blocks start with their first delta. */
interface ConverseContentBlockStartEvent {
  contentBlockIndex: number;
  start: { toolUse: { toolUseId: string; name: string } };
}

type ConverseContentBlockDelta =
  | { text: string }
  /** A fragment of the tool call's JSON arguments. */
  | { toolUse: { input: string } }
  | { reasoningContent: { text?: string; signature?: string; redactedContent?: string } };

interface ConverseContentBlockDeltaEvent {
  contentBlockIndex: number;
  delta: ConverseContentBlockDelta;
}

interface ConverseContentBlockStopEvent {
  contentBlockIndex: number;
}

interface ConverseMessageStopEvent {
  stopReason: ConverseStopReason;
  additionalModelResponseFields?: Record<string, unknown>;
}

/** Comes after `messageStop`. */
interface ConverseMetadataEvent {
  usage: ConverseTokenUsage;
  metrics: ConverseMetrics;
  trace?: { guardrail?: unknown; [trace: string]: unknown };
  performanceConfig?: { latency: "standard" | "optimized" };
  serviceTier?: { type: ConverseServiceTierType };
}

/**
 * One ConverseStream event: the frame's `:event-type` as the key, its
 * payload (without the `p` padding) as the value.
 */
export type ConverseStreamEvent =
  | { messageStart: ConverseMessageStartEvent }
  | { contentBlockStart: ConverseContentBlockStartEvent }
  | { contentBlockDelta: ConverseContentBlockDeltaEvent }
  | { contentBlockStop: ConverseContentBlockStopEvent }
  | { messageStop: ConverseMessageStopEvent }
  | { metadata: ConverseMetadataEvent };
