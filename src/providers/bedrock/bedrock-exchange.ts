import {
  type BedrockClient as BedrockControlClient,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
} from "@aws-sdk/client-bedrock";
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import type { GatewayError } from "../../core/errors.js";
import type { ConverseRequest, ConverseResponse, ConverseStreamEvent } from "../../wire/bedrock-converse.js";
import { canceled, mapBedrockError, timedOut, unreadableAnswer } from "./map-bedrock-error.js";
import { describeSdkError } from "./read-sdk-error.js";
import { fromSdkValue, toSdkConverseInput } from "./sdk-converse-shapes.js";

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
 * interface (the SDK today; undici with the SDK's signer and event-stream
 * codec later) can change without touching converters or tests.
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

export interface SdkExchangeOptions {
  /** Longest wait for an answer (unary) or for a stream's first event. */
  timeoutMs: number;
}

const MAX_PROFILE_PAGES = 20;

/**
 * One upstream call's abort signal: fires when the caller leaves, when the
 * deadline passes, or when the reader of a stream stops early. Failures are
 * reported as what caused them.
 */
class UpstreamCall {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal;
  readonly #timer: NodeJS.Timeout;
  readonly #modelId: string | undefined;
  #timedOut = false;
  #complete = false;
  readonly #onCallerAbort = () => this.#controller.abort(this.#caller.reason);

  constructor(caller: AbortSignal, timeoutMs: number, modelId?: string) {
    this.#caller = caller;
    this.#modelId = modelId;
    if (caller.aborted) this.#controller.abort(caller.reason);
    else caller.addEventListener("abort", this.#onCallerAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(timedOut());
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The answer has begun: the deadline no longer applies. */
  stopClock(): void {
    clearTimeout(this.#timer);
  }

  /** An aborted stream just stops; that must not read as the end of the answer. */
  throwIfAborted(): void {
    if (this.#controller.signal.aborted) throw this.failure(this.#controller.signal.reason);
  }

  /** The whole answer has been read. */
  complete(): void {
    this.#complete = true;
  }

  /** Ends the call; aborts the upstream exchange unless its answer was read to the end. */
  end(): void {
    clearTimeout(this.#timer);
    this.#caller.removeEventListener("abort", this.#onCallerAbort);
    if (!this.#complete && !this.#controller.signal.aborted) this.#controller.abort(canceled());
  }

  failure(error: unknown): GatewayError | Error {
    if (this.#timedOut) return timedOut(error);
    if (this.#caller.aborted) return canceled(error);
    const described = describeSdkError(error, this.#modelId);
    if (described.kind === "bedrock") return mapBedrockError(described.failure);
    return described.error;
  }
}

function parseJson(bytes: Uint8Array | undefined, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array()));
  } catch {
    throw unreadableAnswer(`${what} is not JSON`);
  }
}

const STREAM_EVENT_TYPES = [
  "messageStart",
  "contentBlockStart",
  "contentBlockDelta",
  "contentBlockStop",
  "messageStop",
  "metadata",
] as const;

/** The exchange on `@aws-sdk/client-bedrock-runtime` and `@aws-sdk/client-bedrock`. */
export function createSdkExchange(clients: BedrockSdkClients, options: SdkExchangeOptions): BedrockExchange {
  const begin = (signal: AbortSignal, modelId?: string) => new UpstreamCall(signal, options.timeoutMs, modelId);
  const invokeInput = (modelId: string, body: unknown) => ({
    modelId,
    body: JSON.stringify(body),
    contentType: "application/json",
    accept: "application/json",
  });

  return {
    async invoke(modelId, body, signal) {
      const call = begin(signal, modelId);
      try {
        const answer = await clients
          .runtime()
          .send(new InvokeModelCommand(invokeInput(modelId, body)), { abortSignal: call.signal });
        call.complete();
        return parseJson(answer.body, "the model's answer");
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },

    async *invokeStream(modelId, body, signal) {
      const call = begin(signal, modelId);
      try {
        const answer = await clients
          .runtime()
          .send(new InvokeModelWithResponseStreamCommand(invokeInput(modelId, body)), { abortSignal: call.signal });
        call.stopClock();
        for await (const event of answer.body ?? []) {
          if (event.chunk) yield parseJson(event.chunk.bytes, "a streamed chunk");
        }
        call.throwIfAborted();
        call.complete();
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },

    async converse(modelId, body, signal) {
      const call = begin(signal, modelId);
      try {
        const input: ConverseCommandInput = { modelId, ...toSdkConverseInput(body) };
        const { $metadata: _metadata, ...answer } = await clients
          .runtime()
          .send(new ConverseCommand(input), { abortSignal: call.signal });
        call.complete();
        return fromSdkValue(answer) as ConverseResponse;
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },

    async *converseStream(modelId, body, signal) {
      const call = begin(signal, modelId);
      try {
        const input: ConverseCommandInput = { modelId, ...toSdkConverseInput(body) };
        const answer = await clients.runtime().send(new ConverseStreamCommand(input), { abortSignal: call.signal });
        call.stopClock();
        for await (const event of answer.stream ?? []) {
          const type = STREAM_EVENT_TYPES.find((name) => event[name] !== undefined);
          if (type) yield { [type]: fromSdkValue(event[type]) } as ConverseStreamEvent;
        }
        call.throwIfAborted();
        call.complete();
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },

    async listFoundationModels(signal) {
      const call = begin(signal);
      try {
        const answer = await clients
          .control()
          .send(new ListFoundationModelsCommand({ byOutputModality: "TEXT" }), { abortSignal: call.signal });
        call.complete();
        return (answer.modelSummaries ?? []).map((model) => ({
          modelId: model.modelId ?? "",
          providerName: model.providerName ?? "",
          outputModalities: model.outputModalities ?? [],
          inferenceTypes: model.inferenceTypesSupported ?? [],
        }));
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },

    async listInferenceProfiles(signal) {
      const call = begin(signal);
      try {
        const profiles: InferenceProfileInfo[] = [];
        let nextToken: string | undefined;
        for (let page = 0; page < MAX_PROFILE_PAGES; page += 1) {
          const answer = await clients
            .control()
            .send(new ListInferenceProfilesCommand({ maxResults: 1000, nextToken }), { abortSignal: call.signal });
          for (const profile of answer.inferenceProfileSummaries ?? []) {
            profiles.push({
              id: profile.inferenceProfileId ?? "",
              arn: profile.inferenceProfileArn ?? "",
              type: profile.type ?? "",
              status: profile.status ?? "",
              createdAt: profile.createdAt,
            });
          }
          nextToken = answer.nextToken;
          if (!nextToken) break;
        }
        call.complete();
        return profiles;
      } catch (error) {
        throw call.failure(error);
      } finally {
        call.end();
      }
    },
  };
}
