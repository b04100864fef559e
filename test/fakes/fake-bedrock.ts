/**
 * A fake Bedrock Runtime on a local port that behaves like the service on
 * the wire: cleartext HTTP/2 (the SDK's default) and HTTP/1.1 on the same
 * port, the REST paths with URL-encoded model ids, SigV4-signed requests
 * (scope and signature checked) or Bedrock API keys, JSON bodies checked as
 * Bedrock checks them, errors with their status, `x-amzn-errortype` and
 * `{"message"}`, and streams in the binary event-stream framing (with `p`
 * padding), including exception frames mid-stream. Answers are derived from
 * the request (`You said: <last user text>`) unless a test scripts another
 * behaviour. It records what it received (decoded) and whether the client
 * aborted.
 *
 * What each model family accepts and answers lives in its own file
 * (fake-bedrock-claude.ts, -titan.ts, -converse.ts; the embedding models in
 * -titan-embed.ts, -cohere-embed.ts, -nova-embed.ts), listed in
 * MODEL_FAMILIES; the REST conventions in fake-bedrock-rest.ts. README.md
 * in this folder says how to add a rule, a family or an operation.
 */
import type http2 from "node:http2";
import type { BedrockConfig } from "../../src/config/load-config.js";
import { type FakeFoundationModel, resolveFakeModel } from "./fake-bedrock-catalog.js";
import { claudeFamily } from "./fake-bedrock-claude.js";
import { cohereEmbedFamily } from "./fake-bedrock-cohere-embed.js";
import { converseFamily } from "./fake-bedrock-converse.js";
import { chunkFrame, errorFrame, exceptionFrame } from "./fake-bedrock-eventstream.js";
import { type GuardrailUse, PromptCache, resolveGuardrail } from "./fake-bedrock-features.js";
import { countPromptTokens, type ModelFamily, type ReplyScript } from "./fake-bedrock-model-family.js";
import { novaEmbedFamily } from "./fake-bedrock-nova-embed.js";
import {
  authenticate,
  BedrockError,
  isStreaming,
  malformed,
  type Operation,
  readModelOperation,
  type StreamPlan,
  sendError,
  sendEventStream,
  sendJson,
  validationError,
} from "./fake-bedrock-rest.js";
import type { AwsTestCredentials } from "./fake-bedrock-sigv4.js";
import { titanFamily } from "./fake-bedrock-titan.js";
import { titanMultimodalEmbedFamily, titanTextEmbedFamily } from "./fake-bedrock-titan-embed.js";
import { type FakeExchange, FakeServer, type RequestLifecycle } from "./fake-server.js";

export type { ToolUseReply } from "./fake-bedrock-model-family.js";
export type { Operation } from "./fake-bedrock-rest.js";

export const FAKE_AWS_REGION = "us-west-2";
export const FAKE_AWS_CREDENTIALS: AwsTestCredentials = {
  accessKeyId: "AKIAFAKEBEDROCK00001",
  secretAccessKey: "fakeSecretAccessKey/For+Tests/0123456789abc",
};
export const FAKE_BEDROCK_API_KEY = "ABSKZmFrZS1iZWRyb2NrLWFwaS1rZXktMDEyMzQ1Njc4OQ==";

/** The families that answer model invocations, asked in order; the first that handles a request answers it. */
export const MODEL_FAMILIES: readonly ModelFamily[] = [
  claudeFamily,
  titanFamily,
  titanTextEmbedFamily,
  titanMultimodalEmbedFamily,
  cohereEmbedFamily,
  novaEmbedFamily,
  converseFamily,
];

export type BedrockBehavior =
  /** A normal answer; by default derived from the request. */
  | ({
      kind: "reply";
      /** Streams: after this many frames, send nothing more and wait for the client to leave. */
      holdAfterFrames?: number;
      /** Streams: wait this long before each frame. */
      frameDelayMs?: number;
    } & ReplyScript)
  /** An HTTP error answer. */
  | { kind: "error"; status: number; errorType: string; message: string; extra?: Record<string, unknown> }
  /** A 200 stream that sends some frames, then a modeled exception frame (`throttlingException`, ...). */
  | { kind: "stream-exception"; afterFrames: number; exceptionType: string; body: Record<string, unknown> }
  /** A 200 stream that sends some frames, then an unmodeled `:message-type: error` frame. */
  | { kind: "stream-error-frame"; afterFrames: number; code: string; message: string }
  /** A Claude stream that sends some chunks, then an Anthropic `{"type":"error"}` event. */
  | { kind: "claude-error-event"; afterFrames: number; errorType: string; message: string }
  /** A stream that ends after some frames without its final events. */
  | { kind: "truncated-stream"; afterFrames: number }
  /** Never answers; the request stays open until the client gives up. */
  | { kind: "hang" }
  /** Sends these exact bytes as the event-stream body (a recorded stream). */
  | { kind: "raw-stream"; body: Uint8Array }
  /** Sends this exact JSON as the answer. */
  | { kind: "raw-json"; body: unknown }
  /** An error answer with exactly these headers and body (a proxy's page, `__type` without a header, ...). */
  | { kind: "raw-error"; status: number; headers: Record<string, string>; body: string }
  /** Cuts the connection: before any answer, or after this many frames of a stream. */
  | { kind: "cut"; afterFrames?: number };

export interface BedrockRecordedRequest extends RequestLifecycle {
  operation: Operation;
  /** The model id, decoded from the path. */
  modelId: string;
  /** The path as it arrived, still encoded. */
  rawPath: string;
  headers: http2.IncomingHttpHeaders;
  /** `2.0` for the SDK's cleartext HTTP/2, `1.1` otherwise. */
  httpVersion: string;
  body: Record<string, unknown>;
  auth: "sigv4" | "bearer";
}

/** One recorded request with the behaviour scripted for it, while it is answered. */
interface Call {
  exchange: FakeExchange;
  record: BedrockRecordedRequest;
  behavior: BedrockBehavior;
}

export class FakeBedrock extends FakeServer<BedrockRecordedRequest> {
  /** Credentials the fake accepts, by access key id. */
  readonly credentials = new Map<string, AwsTestCredentials>([
    [FAKE_AWS_CREDENTIALS.accessKeyId, FAKE_AWS_CREDENTIALS],
  ]);
  readonly region: string;
  /** What it does when no behaviour is queued. */
  defaultBehavior: BedrockBehavior = { kind: "reply" };
  /** The account's prompt cache: a prefix written on first sight is read by the next requests. */
  readonly promptCache = new PromptCache();
  #queue: BedrockBehavior[] = [];
  #answers = 0;
  /** What answers each operation once a request for it is accepted. */
  readonly #operations: Record<Operation, (call: Call) => Promise<void>> = {
    invoke: (call) => this.#invokeModel(call),
    "invoke-with-response-stream": (call) => this.#invokeModel(call),
    converse: (call) => this.#invokeModel(call),
    "converse-stream": (call) => this.#invokeModel(call),
    "count-tokens": (call) => this.#countTokens(call),
  };

  constructor(region = FAKE_AWS_REGION) {
    super({ http2: true, keepAliveTimeoutMs: 30_000 });
    this.region = region;
  }

  /** The behaviours for the next requests, in order; afterwards it answers normally. */
  enqueue(...behaviors: BedrockBehavior[]): void {
    this.#queue.push(...behaviors);
  }

  protected override onReset(): void {
    this.#queue = [];
    this.promptCache.clear();
  }

  last(): BedrockRecordedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error("the fake Bedrock received no request");
    return last;
  }

  protected async handle(exchange: FakeExchange): Promise<void> {
    try {
      const call = this.#accept(exchange);
      if (await this.#preempt(call)) return;
      await this.#operations[call.record.operation](call);
    } catch (error) {
      if (!(error instanceof BedrockError)) throw error;
      sendError(exchange, error, this.#requestId());
    }
  }

  /** Routes, authenticates and records a request; throws what Bedrock answers for one it refuses. */
  #accept(exchange: FakeExchange): Call {
    const route = readModelOperation(exchange.method, exchange.url.pathname);
    if (!route) {
      throw new BedrockError(
        404,
        "UnknownOperationException",
        `No operation at ${exchange.method} ${exchange.rawUrl}.`,
      );
    }
    const auth = authenticate(exchange, {
      region: this.region,
      service: "bedrock",
      credentials: (id) => this.credentials.get(id),
      apiKey: FAKE_BEDROCK_API_KEY,
    });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(exchange.body.toString("utf8")) as Record<string, unknown>;
    } catch {
      throw validationError("Malformed input request, please reformat your input and try again.");
    }
    const record = this.record(exchange, {
      ...route,
      rawPath: exchange.rawUrl,
      headers: exchange.headers,
      httpVersion: exchange.httpVersion,
      body,
      auth,
    });
    return { exchange, record, behavior: this.#queue.shift() ?? this.defaultBehavior };
  }

  /** Behaviours that answer before the model is looked at; true when one did. */
  async #preempt({ exchange, record, behavior }: Call): Promise<boolean> {
    switch (behavior.kind) {
      case "error":
        throw new BedrockError(behavior.status, behavior.errorType, behavior.message, behavior.extra);
      case "raw-error":
        exchange.head(behavior.status, behavior.headers);
        exchange.end(behavior.body);
        return true;
      case "hang":
        await record.whenAborted;
        return true;
      case "cut":
        if (behavior.afterFrames !== undefined) return false;
        exchange.cut();
        return true;
      default:
        return false;
    }
  }

  /** InvokeModel, Converse and their streaming forms: the model, its family's rules, then the answer. */
  async #invokeModel({ exchange, record, behavior }: Call): Promise<void> {
    const model = this.#invocableModel(record.modelId);
    const family = MODEL_FAMILIES.find((candidate) => candidate.handles(record.operation, model));
    if (!family) {
      throw validationError(`This model does not support the InvokeModel body you sent (${model.modelId}).`);
    }
    schemaChecked(() => {
      for (const rule of family.rules) rule(record.body, model);
    });
    const controls = readControls(record);
    const options = { requestId: this.#requestId(), operation: record.operation };
    if (behavior.kind === "raw-json") {
      sendJson(exchange, behavior.body, options.requestId);
      return;
    }
    if (behavior.kind === "raw-stream") {
      await sendEventStream(exchange, { frames: [behavior.body], ending: "end" }, options);
      return;
    }
    this.#answers += 1;
    const request = {
      operation: record.operation,
      model,
      body: record.body,
      script: behavior.kind === "reply" ? behavior : {},
      sequence: this.#answers,
      cache: this.promptCache,
      ...controls,
    };
    if (!isStreaming(record.operation)) {
      const answer = schemaChecked(() => family.answer(request));
      if (behavior.kind === "cut") {
        // Half of the answer, then the connection is gone.
        const text = JSON.stringify(answer);
        exchange.head(200, { "content-type": "application/json", "x-amzn-requestid": options.requestId });
        await exchange.write(text.slice(0, text.length / 2));
        exchange.cut();
        return;
      }
      sendJson(exchange, answer, options.requestId);
      return;
    }
    if (!family.stream) throw validationError("The model is unsupported for streaming.");
    const frames = schemaChecked(() => family.stream?.(request) ?? []);
    await sendEventStream(exchange, streamPlan(frames, behavior), options);
  }

  /**
   * CountTokens: the input tokens of an InvokeModel body (base64 in
   * `input.invokeModel.body`), as the model's answer would report them.
   * Only Claude foundation models by their bare id count; inference
   * profiles and other models are refused as Bedrock refuses them.
   */
  async #countTokens({ exchange, record }: Call): Promise<void> {
    // Counting needs no on-demand throughput, only the foundation model's own id.
    const model = resolveFakeModel(this.region, record.modelId);
    if (!model) throw new BedrockError(404, "ResourceNotFoundException", "The provided model identifier is invalid.");
    if (record.modelId !== model.modelId || !model.modelId.startsWith("anthropic.claude")) {
      throw validationError("The provided model doesn't support counting tokens.");
    }
    const input = record.body.input as { invokeModel?: { body?: unknown } } | undefined;
    const encoded = input?.invokeModel?.body;
    if (typeof encoded !== "string") malformed("#/input: required key [invokeModel] not found");
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as Record<string, unknown>;
    } catch {
      throw validationError("The provided request body is not valid JSON.");
    }
    const inputTokens = schemaChecked(() => {
      for (const rule of claudeFamily.rules) rule(body, model);
      return countPromptTokens(body, claudeFamily.turns(body));
    });
    sendJson(exchange, { inputTokens }, this.#requestId());
  }

  /** The foundation model an id names, if this account may invoke it that way. */
  #invocableModel(modelId: string): FakeFoundationModel {
    const model = resolveFakeModel(this.region, modelId);
    if (!model) {
      throw new BedrockError(
        404,
        "ResourceNotFoundException",
        "Could not resolve the foundation model from the provided model identifier.",
      );
    }
    const profileOrArn = modelId !== model.modelId;
    if (!profileOrArn && !model.inferenceTypesSupported.includes("ON_DEMAND")) {
      throw validationError(
        `Invocation of model ID ${model.modelId} with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      );
    }
    return model;
  }

  #requestId(): string {
    return `a1b2c3d4-0000-4000-8000-${String(this.requests.length).padStart(12, "0")}`;
  }
}

/**
 * Bedrock checks a body against the model's JSON schema before anything
 * runs; the fake's rules check what the tests meet, and a body that breaks
 * their reading (or the answer's) is one that schema would refuse.
 */
function schemaChecked<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TypeError) malformed(`#: the body does not match the model's schema (${error.message})`);
    throw error;
  }
}

const SERVICE_TIERS = ["default", "flex", "priority", "reserved"];
const LATENCIES = ["standard", "optimized"];

/**
 * The guardrail and service tier a request names: InvokeModel in its
 * headers (`X-Amzn-Bedrock-GuardrailIdentifier`, `-GuardrailVersion`,
 * `-Trace`, `-Service-Tier`, `-PerformanceConfig-Latency`, as the SDK's
 * serializer writes them), Converse in its body (`guardrailConfig`,
 * `serviceTier`, `performanceConfig`); values Bedrock refuses are refused.
 */
function readControls(record: BedrockRecordedRequest): {
  guardrail: GuardrailUse | undefined;
  serviceTier: string | undefined;
} {
  const header = (name: string) => {
    const value = record.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const invoke = record.operation.startsWith("invoke");
  const config = (record.body.guardrailConfig ?? {}) as Record<string, unknown>;
  const guardrail = invoke
    ? resolveGuardrail(
        header("x-amzn-bedrock-guardrailidentifier"),
        header("x-amzn-bedrock-guardrailversion"),
        header("x-amzn-bedrock-trace"),
      )
    : resolveGuardrail(config.guardrailIdentifier, config.guardrailVersion, config.trace);
  const tier = invoke
    ? header("x-amzn-bedrock-service-tier")
    : (record.body.serviceTier as { type?: string } | undefined)?.type;
  if (tier !== undefined && !SERVICE_TIERS.includes(tier)) {
    throw validationError(
      `1 validation error detected: Value '${tier}' at 'serviceTier' failed to satisfy constraint: Member must satisfy enum value set: [default, flex, priority, reserved]`,
    );
  }
  const latency = invoke
    ? header("x-amzn-bedrock-performanceconfig-latency")
    : (record.body.performanceConfig as { latency?: string } | undefined)?.latency;
  if (latency !== undefined && !LATENCIES.includes(latency)) {
    throw validationError(
      `1 validation error detected: Value '${latency}' at 'performanceConfig.latency' failed to satisfy constraint: Member must satisfy enum value set: [standard, optimized]`,
    );
  }
  return { guardrail, serviceTier: tier };
}

/** What a stream sends under a behaviour, given the frames of the whole answer. */
function streamPlan(frames: Uint8Array[], behavior: BedrockBehavior): StreamPlan {
  switch (behavior.kind) {
    case "reply":
      return behavior.holdAfterFrames === undefined
        ? { frames, ending: "end", frameDelayMs: behavior.frameDelayMs }
        : { frames: frames.slice(0, behavior.holdAfterFrames), ending: "hold", frameDelayMs: behavior.frameDelayMs };
    case "stream-exception":
      return {
        frames: [...frames.slice(0, behavior.afterFrames), exceptionFrame(behavior.exceptionType, behavior.body)],
        ending: "end",
      };
    case "stream-error-frame":
      return {
        frames: [...frames.slice(0, behavior.afterFrames), errorFrame(behavior.code, behavior.message)],
        ending: "end",
      };
    case "claude-error-event":
      return {
        frames: [
          ...frames.slice(0, behavior.afterFrames),
          chunkFrame({ type: "error", error: { type: behavior.errorType, message: behavior.message } }),
        ],
        ending: "end",
      };
    case "truncated-stream":
      return { frames: frames.slice(0, behavior.afterFrames), ending: "end" };
    case "cut":
      return { frames: frames.slice(0, behavior.afterFrames), ending: "cut" };
    default:
      // The other behaviours answer before any frame is made.
      throw new Error(`the behaviour ${behavior.kind} has no stream`);
  }
}

/** A Bedrock configuration that points the server at the fakes with the fake's credentials. */
export function fakeBedrockConfig(runtimeUrl: string, overrides: Partial<BedrockConfig> = {}): BedrockConfig {
  return {
    region: FAKE_AWS_REGION,
    httpClient: "undici",
    credentials: FAKE_AWS_CREDENTIALS,
    credentialSource: "static AWS keys",
    runtimeEndpoint: runtimeUrl,
    imageFetch: { enabled: true, allowPrivateAddresses: false, maxBytes: 3_932_160, timeoutMs: 5_000 },
    ...overrides,
  };
}
