import type { BedrockClient as BedrockControlClient } from "@aws-sdk/client-bedrock";
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import type { ConverseRequest, ConverseResponse, ConverseStreamEvent } from "../../wire/bedrock-converse.js";
import { controlPlaneListings } from "./bedrock-control-listings.js";
import { unreadableAnswer } from "./map-bedrock-error.js";
import { sdkFailure } from "./read-sdk-error.js";
import { fromSdkValue, toSdkConverseInput } from "./sdk-converse-shapes.js";
import { UpstreamCall } from "./upstream-call.js";

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

/**
 * The one seam between the Bedrock provider and AWS: invoke a model with a
 * JSON body and read its JSON answer or the JSON events of its stream;
 * converse; list models. Bodies and answers are the wire JSON shapes, and
 * every failure arrives as a GatewayError, so the transport under this
 * interface (the SDK, or undici with the SDK's signer and event-stream
 * codec) can change without touching converters or tests.
 */
export interface BedrockExchange {
  /** InvokeModel: the model's own JSON body in, its JSON answer out. */
  invoke(modelId: string, body: unknown, signal: AbortSignal): Promise<unknown>;
  /** InvokeModelWithResponseStream: the model's JSON events, decoded from the `chunk` frames. */
  invokeStream(modelId: string, body: unknown, signal: AbortSignal): AsyncIterable<unknown>;
  converse(modelId: string, body: ConverseRequest, signal: AbortSignal): Promise<ConverseResponse>;
  converseStream(modelId: string, body: ConverseRequest, signal: AbortSignal): AsyncIterable<ConverseStreamEvent>;
  listFoundationModels(signal: AbortSignal): Promise<FoundationModelInfo[]>;
  listInferenceProfiles(signal: AbortSignal): Promise<InferenceProfileInfo[]>;
}

export interface BedrockSdkClients {
  runtime(): BedrockRuntimeClient;
  control(): BedrockControlClient;
}

export interface ExchangeOptions {
  /** Longest wait for an answer (unary) or for a stream's first event. */
  timeoutMs: number;
}

/** A JSON answer or chunk; anything else is an answer this server cannot read. */
export function parseJson(bytes: Uint8Array | undefined, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array()));
  } catch {
    throw unreadableAnswer(`${what} is not JSON`);
  }
}

/** The ConverseStream events the converters read; others are skipped, as the SDK skips unknown ones. */
export const CONVERSE_STREAM_EVENT_TYPES = [
  "messageStart",
  "contentBlockStart",
  "contentBlockDelta",
  "contentBlockStop",
  "messageStop",
  "metadata",
] as const;

/** The exchange on `@aws-sdk/client-bedrock-runtime` and `@aws-sdk/client-bedrock`. */
export function createSdkExchange(clients: BedrockSdkClients, options: ExchangeOptions): BedrockExchange {
  const begin = (signal: AbortSignal, modelId: string) =>
    new UpstreamCall(signal, options.timeoutMs, (error) => sdkFailure(error, modelId));
  const invokeInput = (modelId: string, body: unknown) => ({
    modelId,
    body: JSON.stringify(body),
    contentType: "application/json",
    accept: "application/json",
  });

  /** One unary call: its deadline, its abort, its failures reported as what caused them. */
  async function unary<T>(signal: AbortSignal, modelId: string, run: (call: UpstreamCall) => Promise<T>): Promise<T> {
    const call = begin(signal, modelId);
    try {
      const answer = await run(call);
      call.complete();
      return answer;
    } catch (error) {
      throw call.failure(error);
    } finally {
      call.end();
    }
  }

  /** One streaming call; Bedrock may stay silent for at most the timeout before each event. */
  async function* streamed<T>(
    signal: AbortSignal,
    modelId: string,
    open: (call: UpstreamCall) => Promise<AsyncIterable<T>>,
  ): AsyncGenerator<T> {
    const call = begin(signal, modelId);
    try {
      const events = await open(call);
      for await (const event of events) {
        call.stopClock();
        yield event;
        call.startClock();
      }
      call.throwIfAborted();
      call.complete();
    } catch (error) {
      throw call.failure(error);
    } finally {
      call.end();
    }
  }

  return {
    invoke: (modelId, body, signal) =>
      unary(signal, modelId, async (call) => {
        const answer = await clients
          .runtime()
          .send(new InvokeModelCommand(invokeInput(modelId, body)), { abortSignal: call.signal });
        return parseJson(answer.body, "the model's answer");
      }),

    invokeStream: (modelId, body, signal) =>
      streamed(signal, modelId, async (call) => {
        const answer = await clients
          .runtime()
          .send(new InvokeModelWithResponseStreamCommand(invokeInput(modelId, body)), { abortSignal: call.signal });
        return (async function* () {
          for await (const event of answer.body ?? []) {
            if (event.chunk) yield parseJson(event.chunk.bytes, "a streamed chunk");
          }
        })();
      }),

    converse: (modelId, body, signal) =>
      unary(signal, modelId, async (call) => {
        const input: ConverseCommandInput = { modelId, ...toSdkConverseInput(body) };
        const { $metadata: _metadata, ...answer } = await clients
          .runtime()
          .send(new ConverseCommand(input), { abortSignal: call.signal });
        return fromSdkValue(answer) as ConverseResponse;
      }),

    converseStream: (modelId, body, signal) =>
      streamed(signal, modelId, async (call) => {
        const input: ConverseCommandInput = { modelId, ...toSdkConverseInput(body) };
        const answer = await clients.runtime().send(new ConverseStreamCommand(input), { abortSignal: call.signal });
        return (async function* () {
          for await (const event of answer.stream ?? []) {
            const type = CONVERSE_STREAM_EVENT_TYPES.find((name) => event[name] !== undefined);
            if (type) yield { [type]: fromSdkValue(event[type]) } as ConverseStreamEvent;
          }
        })();
      }),

    ...controlPlaneListings(clients, options),
  };
}
