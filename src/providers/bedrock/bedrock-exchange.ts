import type { ConverseRequest, ConverseResponse, ConverseStreamEvent } from "../../wire/bedrock-converse.js";

/** The upstream's name in messages. */
export const BEDROCK = "Bedrock";

/** A foundation model as the control plane lists it. */
export interface FoundationModelInfo {
  modelId: string;
  providerName: string;
  outputModalities: string[];
  /** `ON_DEMAND`, `PROVISIONED`, `INFERENCE_PROFILE`. */
  inferenceTypes: string[];
}

/** A cross-region (`SYSTEM_DEFINED`) or `APPLICATION` inference profile. */
export interface InferenceProfileInfo {
  id: string;
  arn: string;
  type: string;
  status: string;
  createdAt: Date | undefined;
}

export const GUARDRAIL_TRACES = ["enabled", "disabled", "enabled_full"] as const;
export type GuardrailTrace = (typeof GUARDRAIL_TRACES)[number];

/** A Bedrock guardrail applied to the prompt and the answer. */
export interface GuardrailSettings {
  identifier: string;
  version: string;
  trace: GuardrailTrace;
}

/** What InvokeModel takes in headers besides the model's body (Converse has them in its body). */
export interface InvokeOptions {
  guardrail?: GuardrailSettings;
  serviceTier?: "default" | "flex" | "priority" | "reserved";
  latency?: "standard" | "optimized";
}

/** InvokeModel's request headers for the options (the SDK sets the same ones from its command input). */
export function invokeHeaders(options: InvokeOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.guardrail) {
    headers["x-amzn-bedrock-guardrailidentifier"] = options.guardrail.identifier;
    headers["x-amzn-bedrock-guardrailversion"] = options.guardrail.version;
    headers["x-amzn-bedrock-trace"] = options.guardrail.trace.toUpperCase();
  }
  if (options.latency) headers["x-amzn-bedrock-performanceconfig-latency"] = options.latency;
  if (options.serviceTier) headers["x-amzn-bedrock-service-tier"] = options.serviceTier;
  return headers;
}

/**
 * The one seam between the Bedrock provider and AWS: invoke a model with a
 * JSON body and read its JSON answer or the JSON events of its stream;
 * converse; list models. Bodies and answers are the wire JSON shapes, and
 * every failure arrives as a GatewayError, so the transport under this
 * interface (the SDK, or undici with the SDK's signer and event-stream
 * codec, both in `aws/`) can change without touching converters or tests.
 */
export interface BedrockExchange {
  /** InvokeModel: the model's own JSON body in, its JSON answer out. */
  invoke(modelId: string, body: unknown, signal: AbortSignal, options?: InvokeOptions): Promise<unknown>;
  /** InvokeModelWithResponseStream: the model's JSON events, decoded from the `chunk` frames. */
  invokeStream(modelId: string, body: unknown, signal: AbortSignal, options?: InvokeOptions): AsyncIterable<unknown>;
  /** CountTokens: the input tokens of an InvokeModel body, by the model's own tokenizer. */
  countTokens(modelId: string, body: unknown, signal: AbortSignal): Promise<number>;
  converse(modelId: string, body: ConverseRequest, signal: AbortSignal): Promise<ConverseResponse>;
  converseStream(modelId: string, body: ConverseRequest, signal: AbortSignal): AsyncIterable<ConverseStreamEvent>;
  listFoundationModels(signal: AbortSignal): Promise<FoundationModelInfo[]>;
  listInferenceProfiles(signal: AbortSignal): Promise<InferenceProfileInfo[]>;
}
