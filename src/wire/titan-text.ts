/**
 * The Amazon Titan Text format (Express, Lite, Premier) on Bedrock
 * InvokeModel / InvokeModelWithResponseStream. Titan has no roles: a chat is
 * written into `inputText` as a transcript (`User: ...` / `Bot: ...`).
 * Sources: AWS Bedrock user guide `model-parameters-titan-text`;
 * test/fixtures/wire/bedrock/titan_*.
 */
import type { BedrockInvocationMetrics } from "./bedrock-runtime.js";

export interface TitanTextGenerationConfig {
  /** 0 to 1; default 0.7. */
  temperature?: number;
  /** 0 to 1; default 0.9. */
  topP?: number;
  /** Default 512; at most 8192 (Express), 4096 (Lite), 3072 (Premier). */
  maxTokenCount?: number;
  stopSequences?: string[];
}

/** The request body. */
export interface TitanTextRequest {
  inputText: string;
  textGenerationConfig?: TitanTextGenerationConfig;
}

/**
 * Why generation ended. The documentation says `FINISHED`; real answers say
 * `FINISH`. Readers treat both alike.
 */
export type TitanCompletionReason =
  | "FINISH"
  | "FINISHED"
  | "LENGTH"
  | "STOP_CRITERIA_MET"
  | "RAG_QUERY_WHEN_RAG_DISABLED"
  | "CONTENT_FILTERED";

interface TitanTextResult {
  tokenCount: number;
  outputText: string;
  completionReason: TitanCompletionReason | null;
}

/** The unary answer: one result. */
export interface TitanTextResponse {
  inputTextTokenCount: number;
  results: TitanTextResult[];
}

/**
 * One streamed chunk (base64 inside a `chunk` frame). The first carries
 * `inputTextTokenCount`; the last carries `completionReason`,
 * `totalOutputTextTokenCount` and Bedrock's invocation metrics.
 */
export interface TitanTextStreamChunk {
  outputText: string;
  index: number;
  totalOutputTextTokenCount: number | null;
  completionReason: TitanCompletionReason | null;
  inputTextTokenCount: number | null;
  "amazon-bedrock-invocationMetrics"?: BedrockInvocationMetrics;
}

/** The transcript convention the Titan documentation uses. */
export const TITAN_USER_PREFIX = "User: ";
export const TITAN_BOT_PREFIX = "Bot:";
