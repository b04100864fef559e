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

type ConverseDocumentFormat = "pdf" | "csv" | "doc" | "docx" | "xls" | "xlsx" | "html" | "txt" | "md";

export interface ConverseDocumentBlock {
  format: ConverseDocumentFormat;
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

interface ConverseReasoningContent {
  reasoningText?: { text: string; signature?: string };
  /** base64 */
  redactedContent?: string;
}

interface ConverseCachePoint {
  type: "default";
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
type ConverseSystemContentBlock =
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

interface ConverseGuardrailConfiguration {
  guardrailIdentifier: string;
  guardrailVersion: string;
  trace?: "enabled" | "disabled" | "enabled_full";
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
  requestMetadata?: Record<string, string>;
  performanceConfig?: { latency: "standard" | "optimized" };
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
  trace?: Record<string, unknown>;
  performanceConfig?: { latency: "standard" | "optimized" };
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
  trace?: Record<string, unknown>;
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
