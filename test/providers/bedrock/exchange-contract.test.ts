/**
 * The two Bedrock exchanges (the AWS SDK client, over its default HTTP/2,
 * and the lean undici path, over HTTP/1.1, with the SDK's signer and
 * event-stream codec) must be interchangeable: the fake Bedrock receives the
 * same requests (path, body, signed headers, a signature it verifies), and
 * the answers, the stream events and the errors are the same.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BedrockConfig } from "../../../src/config/load-config.js";
import { GatewayError } from "../../../src/core/errors.js";
import { createBedrockSdkExchange } from "../../../src/providers/bedrock/aws/bedrock-sdk-exchange.js";
import type { BedrockExchange } from "../../../src/providers/bedrock/bedrock-exchange.js";
import { createBedrockExchange } from "../../../src/providers/bedrock/create-bedrock-provider.js";
import {
  type BedrockBehavior,
  type BedrockRecordedRequest,
  FAKE_AWS_REGION,
  FAKE_BEDROCK_API_KEY,
  FakeBedrock,
  fakeBedrockConfig,
} from "../../fakes/fake-bedrock.js";
import { fakeInferenceProfiles } from "../../fakes/fake-bedrock-catalog.js";
import { FakeBedrockControl } from "../../fakes/fake-bedrock-control.js";
import { chunkFrame, codec, decodeFrames, eventFrame } from "../../fakes/fake-bedrock-eventstream.js";
import { ERROR_TABLE } from "../../helpers/error-table.js";
import { converseStreamEvents, fixtureEventStream, fixtureJson, invokeStreamEvents } from "./wire-fixtures.js";

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const CLAUDE_PROFILE_ARN = fakeInferenceProfiles(FAKE_AWS_REGION)[0]?.inferenceProfileArn ?? "";
const TITAN = "amazon.titan-text-express-v1";
/** The recorded Converse example is a Claude request (its top_k is Claude's), so it goes to a Claude model. */
const CONVERSE_EXAMPLE_MODEL = CLAUDE;
const CLIENTS = ["sdk", "undici"] as const;
type Client = (typeof CLIENTS)[number];

// Headers the SDK client adds for its own bookkeeping (retry counting,
// telemetry); Bedrock reads none of them.
const SDK_BOOKKEEPING = ["amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent"];

const TEMPORARY = {
  accessKeyId: "ASIAFAKECONTRACT0001",
  secretAccessKey: "fakeContractSecret/0123456789abcdefghijk",
  sessionToken: "FwoGZXIvYXdzEFAKECONTRACTSESSION0123",
};

let bedrock: FakeBedrock;
let control: FakeBedrockControl;

beforeAll(async () => {
  bedrock = new FakeBedrock();
  bedrock.credentials.set(TEMPORARY.accessKeyId, TEMPORARY);
  control = new FakeBedrockControl(FAKE_AWS_REGION, fakeBedrockConfig("http://unused").credentials ?? TEMPORARY);
  await Promise.all([bedrock.start(), control.start()]);
});

afterAll(async () => {
  await Promise.all([bedrock?.close(), control?.close()]);
});

beforeEach(() => bedrock.reset());

function exchanges(overrides: Partial<BedrockConfig> = {}, timeoutMs = 10_000): Record<Client, BedrockExchange> {
  const config = (httpClient: Client) =>
    fakeBedrockConfig(bedrock.url, { controlEndpoint: control.url, ...overrides, httpClient });
  return {
    sdk: createBedrockExchange(config("sdk"), timeoutMs, undefined, createBedrockSdkExchange),
    undici: createBedrockExchange(config("undici"), timeoutMs),
  };
}

const header = (request: BedrockRecordedRequest, name: string) => {
  const value = name === "host" ? (request.headers.host ?? request.headers[":authority"]) : request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
};

// The host is signed as `:authority` over HTTP/2 (as the SDK sends it) and as `host` over HTTP/1.1.
const signedName = (name: string) => (name === ":authority" ? "host" : name);

/**
 * Values that differ between two correct requests: the clock, and the body's
 * hash when the same JSON is written with its keys in another order (the SDK
 * writes Converse bodies in its model's member order). The fake checks the
 * hash against the body it received, and the bodies are compared decoded.
 */
const VARYING = ["x-amz-date", "x-amz-content-sha256"];

/** What Bedrock reads of a request: everything but the SDK's bookkeeping and the clock. */
function wire(request: BedrockRecordedRequest) {
  const authorization = header(request, "authorization") ?? "";
  const signed = (/SignedHeaders=([^,]+)/.exec(authorization)?.[1] ?? "").split(";").filter(Boolean);
  const kept = signed
    .map(signedName)
    .filter((name) => !SDK_BOOKKEEPING.includes(name))
    .sort();
  return {
    operation: request.operation,
    rawPath: request.rawPath,
    modelId: request.modelId,
    body: request.body,
    auth: request.auth,
    scope: /Credential=[^/]+\/\d{8}\/([^,]+),/.exec(authorization)?.[1],
    signedHeaders: kept,
    values: Object.fromEntries(kept.map((name) => [name, VARYING.includes(name) ? "(varies)" : header(request, name)])),
    bearer: authorization.startsWith("Bearer ") ? authorization : undefined,
    contentType: header(request, "content-type"),
    accept: header(request, "accept"),
    bedrockAccept: header(request, "x-amzn-bedrock-accept"),
  };
}

/** The fake numbers its answers and tool uses; the counters are not part of the contract. */
function normalized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null).replace(/fake\d+(x\d+)?/g, "fake#"));
}

function describeError(error: unknown) {
  if (error === undefined) return undefined;
  expect(error).toBeInstanceOf(GatewayError);
  const gateway = error as GatewayError;
  return {
    name: gateway.name,
    message: gateway.message,
    code: gateway.code,
    param: gateway.param,
    status: gateway.httpStatus,
    grpc: gateway.grpcCode,
  };
}

type SeenError = NonNullable<ReturnType<typeof describeError>>;

/** The error a caller must see: the class (with its HTTP status and gRPC code), the message, the code and param. */
function seen(name: string, message: string, more: { code?: string | null; param?: string | null } = {}): SeenError {
  const row = ERROR_TABLE.find(([Class]) => Class.name === name);
  if (!row) throw new Error(`no class ${name}`);
  const [, status, grpc, , code] = row;
  return { name, message, code: more.code === undefined ? code : more.code, param: more.param ?? null, status, grpc };
}

interface Outcome {
  answer: unknown;
  events: unknown[];
  error: ReturnType<typeof describeError>;
}

type Operation = "invoke" | "invokeStream" | "converse" | "converseStream";

const bodies: Record<Operation, [string, unknown]> = {
  invoke: [CLAUDE, fixtureJson("bedrock/claude_invoke_request.json")],
  invokeStream: [CLAUDE, fixtureJson("bedrock/claude_invoke_request.json")],
  converse: [CONVERSE_EXAMPLE_MODEL, fixtureJson("bedrock/converse_request.json")],
  converseStream: [CONVERSE_EXAMPLE_MODEL, fixtureJson("bedrock/converse_request.json")],
};

async function run(
  exchange: BedrockExchange,
  operation: Operation,
  modelId: string,
  body: unknown,
  signal = new AbortController().signal,
): Promise<Outcome> {
  const outcome: Outcome = { answer: undefined, events: [], error: undefined };
  try {
    if (operation === "invoke") outcome.answer = await exchange.invoke(modelId, body, signal);
    if (operation === "converse") outcome.answer = await exchange.converse(modelId, body as never, signal);
    if (operation === "invokeStream") {
      for await (const event of exchange.invokeStream(modelId, body, signal)) outcome.events.push(event);
    }
    if (operation === "converseStream") {
      for await (const event of exchange.converseStream(modelId, body as never, signal)) outcome.events.push(event);
    }
  } catch (error) {
    outcome.error = describeError(error);
  }
  return outcome;
}

/** Runs the same call through both exchanges, each against the same scripted behaviour. */
async function both(
  operation: Operation,
  options: { behavior?: BedrockBehavior; modelId?: string; body?: unknown; config?: Partial<BedrockConfig> } = {},
) {
  const [defaultModel, defaultBody] = bodies[operation];
  const pair = exchanges(options.config);
  const outcomes: Partial<Record<Client, Outcome>> = {};
  const requests: Partial<Record<Client, BedrockRecordedRequest[]>> = {};
  for (const client of CLIENTS) {
    bedrock.reset();
    if (options.behavior) bedrock.enqueue(options.behavior);
    outcomes[client] = await run(pair[client], operation, options.modelId ?? defaultModel, options.body ?? defaultBody);
    requests[client] = [...bedrock.requests];
  }
  return {
    sdk: outcomes.sdk as Outcome,
    undici: outcomes.undici as Outcome,
    sdkRequests: requests.sdk ?? [],
    undiciRequests: requests.undici ?? [],
  };
}

describe("both exchanges send the same requests and read the same answers", () => {
  const cases: [string, Operation, string, unknown, BedrockBehavior | undefined][] = [
    ["Claude, InvokeModel", "invoke", CLAUDE, undefined, undefined],
    [
      "Claude, InvokeModel with tool use",
      "invoke",
      CLAUDE,
      undefined,
      {
        kind: "reply",
        text: "Let me look.",
        toolUses: [{ id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
      },
    ],
    ["Claude by inference profile ARN", "invoke", CLAUDE_PROFILE_ARN, undefined, undefined],
    [
      "Claude, InvokeModelWithResponseStream",
      "invokeStream",
      CLAUDE,
      undefined,
      { kind: "reply", toolUses: [{ id: "toolu_2", name: "f", input: { a: [1, 2, 3] } }], text: "streamed text" },
    ],
    ["Titan, InvokeModel", "invoke", TITAN, fixtureJson("bedrock/titan_request.json"), undefined],
    [
      "Titan, InvokeModelWithResponseStream",
      "invokeStream",
      TITAN,
      fixtureJson("bedrock/titan_request.json"),
      undefined,
    ],
    ["Converse", "converse", CONVERSE_EXAMPLE_MODEL, undefined, undefined],
    [
      "Converse with tool use and cache tokens",
      "converse",
      CONVERSE_EXAMPLE_MODEL,
      undefined,
      {
        kind: "reply",
        toolUses: [{ id: "tooluse_1", name: "get_weather", input: { city: "Oslo" } }],
        cacheReadTokens: 7,
      },
    ],
    [
      "ConverseStream",
      "converseStream",
      CLAUDE,
      undefined,
      { kind: "reply", text: "a streamed answer", toolUses: [{ id: "tooluse_2", name: "g", input: { b: true } }] },
    ],
  ];

  it.each(cases)("%s", async (_name, operation, modelId, body, behavior) => {
    const result = await both(operation, { modelId, ...(body ? { body } : {}), ...(behavior ? { behavior } : {}) });
    expect(result.sdk.error).toBeUndefined();
    expect(normalized(result.undici)).toEqual(normalized(result.sdk));
    if (operation.endsWith("Stream")) expect(result.sdk.events.length).toBeGreaterThan(2);
    else expect(Object.keys(result.sdk.answer ?? {}).length).toBeGreaterThan(1);
    const [sdkRequest] = result.sdkRequests;
    const [undiciRequest] = result.undiciRequests;
    expect(result.sdkRequests).toHaveLength(1);
    expect(result.undiciRequests).toHaveLength(1);
    if (!sdkRequest || !undiciRequest) throw new Error("no request recorded");
    expect(wire(undiciRequest)).toEqual(wire(sdkRequest));
    if (operation.startsWith("invoke")) {
      // The model's own body is sent as the same bytes.
      expect(header(undiciRequest, "x-amz-content-sha256")).toBe(header(sdkRequest, "x-amz-content-sha256"));
    }
    // Really two paths: the SDK's HTTP/2 session and undici's HTTP/1.1 pool.
    expect([sdkRequest.httpVersion, undiciRequest.httpVersion]).toEqual(["2.0", "1.1"]);
  });

  it("sign what Bedrock checks: scope, body hash, content type and the accept header of each operation", async () => {
    const invoke = await both("invoke");
    const stream = await both("invokeStream");
    const converse = await both("converse");
    for (const request of [...invoke.undiciRequests, ...stream.undiciRequests, ...converse.undiciRequests]) {
      const seen = wire(request);
      expect(seen.auth).toBe("sigv4");
      expect(seen.scope).toBe(`${FAKE_AWS_REGION}/bedrock/aws4_request`);
      expect(seen.signedHeaders).toEqual(expect.arrayContaining(["host", "content-type", "x-amz-content-sha256"]));
      expect(seen.contentType).toBe("application/json");
    }
    expect(wire(invoke.undiciRequests[0] as BedrockRecordedRequest)).toMatchObject({
      accept: "application/json",
      bedrockAccept: undefined,
      rawPath: "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke",
    });
    expect(wire(stream.undiciRequests[0] as BedrockRecordedRequest)).toMatchObject({
      accept: undefined,
      bedrockAccept: "application/json",
    });
    expect(wire(converse.undiciRequests[0] as BedrockRecordedRequest)).toMatchObject({
      accept: undefined,
      bedrockAccept: undefined,
    });
  });

  it("encode an ARN model id in the path as the SDK does", async () => {
    const result = await both("invoke", { modelId: CLAUDE_PROFILE_ARN });
    expect(result.undiciRequests[0]?.rawPath).toBe(
      `/model/${encodeURIComponent(CLAUDE_PROFILE_ARN).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}/invoke`,
    );
    expect(result.undiciRequests[0]?.rawPath).toContain("%2F");
  });

  it("sign with temporary credentials and their session token", async () => {
    const result = await both("converse", { config: { credentials: TEMPORARY } });
    expect(result.sdk.error).toBeUndefined();
    const [sdkRequest] = result.sdkRequests;
    const [undiciRequest] = result.undiciRequests;
    if (!sdkRequest || !undiciRequest) throw new Error("no request recorded");
    expect(wire(undiciRequest)).toEqual(wire(sdkRequest));
    expect(wire(undiciRequest).values["x-amz-security-token"]).toBe(TEMPORARY.sessionToken);
  });

  it("send a Bedrock API key as a bearer token, unsigned", async () => {
    const result = await both("invoke", { config: { credentials: undefined, bearerToken: FAKE_BEDROCK_API_KEY } });
    expect(result.sdk.error).toBeUndefined();
    expect(normalized(result.undici)).toEqual(normalized(result.sdk));
    const [sdkRequest] = result.sdkRequests;
    const [undiciRequest] = result.undiciRequests;
    if (!sdkRequest || !undiciRequest) throw new Error("no request recorded");
    expect(wire(undiciRequest)).toEqual(wire(sdkRequest));
    expect(wire(undiciRequest)).toMatchObject({ auth: "bearer", bearer: `Bearer ${FAKE_BEDROCK_API_KEY}` });
    expect(undiciRequest.headers["x-amz-date"]).toBeUndefined();
  });

  it("read the recorded streams of the wire examples alike, including frames split across reads", async () => {
    for (const [operation, path] of [
      ["invokeStream", "bedrock/claude_stream_text.eventstream.b64"],
      ["invokeStream", "bedrock/claude_stream_tool_use.eventstream.b64"],
      ["invokeStream", "bedrock/titan_stream.eventstream.b64"],
      ["converseStream", "bedrock/converse_stream_tool_use.eventstream.b64"],
    ] as const) {
      const modelId = path.includes("titan") ? TITAN : operation === "converseStream" ? CONVERSE_EXAMPLE_MODEL : CLAUDE;
      const body = path.includes("titan") ? fixtureJson("bedrock/titan_request.json") : undefined;
      const result = await both(operation, {
        modelId,
        ...(body ? { body } : {}),
        behavior: { kind: "raw-stream", body: fixtureEventStream(path) },
      });
      expect(result.sdk.error).toBeUndefined();
      expect(result.sdk.events).toEqual(
        operation === "invokeStream" ? invokeStreamEvents(path) : converseStreamEvents(path),
      );
      expect(result.undici).toEqual(result.sdk);
    }
  });

  it("skip events they do not know", async () => {
    const body = Buffer.concat([
      eventFrame("messageStart", { role: "assistant" }),
      eventFrame("somethingNew", { value: 1 }),
      eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "fine" } }),
      eventFrame("messageStop", { stopReason: "end_turn" }),
    ]);
    const result = await both("converseStream", { behavior: { kind: "raw-stream", body } });
    expect(result.sdk.events).toHaveLength(3);
    expect(result.undici).toEqual(result.sdk);
  });

  it("list the same models (one shared control-plane client)", async () => {
    const pair = exchanges();
    const signal = new AbortController().signal;
    for (const list of ["listFoundationModels", "listInferenceProfiles"] as const) {
      const [sdk, undici] = await Promise.all([pair.sdk[list](signal), pair.undici[list](signal)]);
      expect(sdk.length).toBeGreaterThan(0);
      expect(undici).toEqual(sdk);
    }
  });
});

// Each recorded exception frame (throttling, model stream error, internal, validation, model timeout, unavailable, unmodeled).
const recordedExceptions = decodeFrames(fixtureEventStream("bedrock/stream_exception_examples.eventstream.b64"));
const exceptionBytes: Uint8Array[] = [];
{
  const all = fixtureEventStream("bedrock/stream_exception_examples.eventstream.b64");
  for (let offset = 0; offset < all.length; ) {
    const length = new DataView(all.buffer, all.byteOffset + offset).getUint32(0);
    exceptionBytes.push(all.subarray(offset, offset + length));
    offset += length;
  }
}

const claudeStart = chunkFrame({
  type: "message_start",
  message: { id: "m", type: "message", role: "assistant", content: [], usage: { input_tokens: 3, output_tokens: 1 } },
});
const claudeDelta = chunkFrame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Par" } });
const converseStart = eventFrame("messageStart", { role: "assistant" });
const converseDelta = eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Par" } });

function corrupted(frame: Uint8Array): Uint8Array {
  const copy = Buffer.from(frame);
  copy[copy.length - 6] = (copy[copy.length - 6] ?? 0) ^ 0xff;
  return copy;
}

const httpError = (status: number, errorType: string, message: string, extra?: Record<string, unknown>) =>
  ({ kind: "error", status, errorType, message, ...(extra ? { extra } : {}) }) as const;

const failures: [string, Operation[], BedrockBehavior, SeenError | undefined][] = [
  [
    "429 ThrottlingException",
    ["invoke", "converseStream"],
    httpError(429, "ThrottlingException", "Slow down."),
    seen("RateLimitError", "Bedrock is throttling requests: Slow down."),
  ],
  [
    "400 ValidationException",
    ["converse", "invokeStream"],
    httpError(400, "ValidationException", "Bad input."),
    seen("InvalidRequestError", "Bedrock rejected the request: Bad input."),
  ],
  [
    "403 AccessDeniedException",
    ["invoke"],
    httpError(403, "AccessDeniedException", "No access."),
    seen("PermissionDeniedError", "Bedrock denied access: No access."),
  ],
  [
    "404 ResourceNotFoundException",
    ["converse"],
    httpError(404, "ResourceNotFoundException", "No such model."),
    seen("ModelNotFoundError", `The model '${CONVERSE_EXAMPLE_MODEL}' was not found on Bedrock: No such model.`, {
      param: "model",
    }),
  ],
  [
    "408 ModelTimeoutException",
    ["invoke"],
    httpError(408, "ModelTimeoutException", "Model too slow."),
    seen("TimeoutError", "The Bedrock model timed out: Model too slow."),
  ],
  [
    "424 ModelErrorException with the model's status",
    ["invoke"],
    httpError(424, "ModelErrorException", "The model failed.", { originalStatusCode: 500, resourceName: "claude" }),
    seen("UpstreamError", "The Bedrock model failed (model status 500): The model failed."),
  ],
  [
    "429 ModelNotReadyException",
    ["invokeStream"],
    httpError(429, "ModelNotReadyException", "Warming up."),
    seen("ServiceUnavailableError", "The Bedrock model is not ready: Warming up."),
  ],
  [
    "500 InternalServerException",
    ["converseStream"],
    httpError(500, "InternalServerException", "Oops."),
    seen("UpstreamError", "Bedrock failed: Oops."),
  ],
  [
    "503 ServiceUnavailableException",
    ["invoke"],
    httpError(503, "ServiceUnavailableException", "Busy."),
    seen("ServiceUnavailableError", "Bedrock is unavailable: Busy."),
  ],
  [
    "403 UnrecognizedClientException (not modeled)",
    ["converse"],
    httpError(403, "UnrecognizedClientException", "The security token included in the request is invalid."),
    seen(
      "AuthenticationError",
      "Bedrock refused the server's AWS credentials: The security token included in the request is invalid.",
      { code: "upstream_authentication" },
    ),
  ],
  [
    "an error named only by the body's __type, with a namespace",
    ["invoke"],
    {
      kind: "raw-error",
      status: 400,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ __type: "com.amazon.coral.validate#ValidationException", message: "Typed in the body." }),
    },
    seen("InvalidRequestError", "Bedrock rejected the request: Typed in the body."),
  ],
  [
    "an error named by the body's code, with Message",
    ["converse"],
    {
      kind: "raw-error",
      status: 429,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: "ThrottlingException", Message: "Capital M." }),
    },
    seen("RateLimitError", "Bedrock is throttling requests: Capital M."),
  ],
  [
    "a 500 with an empty body and no name",
    ["invoke"],
    { kind: "raw-error", status: 500, headers: {}, body: "" },
    seen("UpstreamError", "Bedrock failed with status 500: UnknownError"),
  ],
  [
    "a 418 of an unknown error",
    ["converse"],
    {
      kind: "raw-error",
      status: 418,
      headers: { "x-amzn-errortype": "TeapotException:http://internal.amazon.com/coral/com.amazon.bedrock/" },
      body: JSON.stringify({ message: "I am a teapot." }),
    },
    seen("UpstreamError", "Bedrock failed with status 418: I am a teapot."),
  ],
  [
    "an exception frame first",
    ["invokeStream", "converseStream"],
    {
      kind: "stream-exception",
      afterFrames: 0,
      exceptionType: "throttlingException",
      body: { message: "Too many tokens, please wait before trying again." },
    },
    seen("RateLimitError", "Bedrock is throttling requests: Too many tokens, please wait before trying again."),
  ],
  [
    "an exception frame mid-stream",
    ["invokeStream", "converseStream"],
    {
      kind: "stream-exception",
      afterFrames: 2,
      exceptionType: "serviceUnavailableException",
      body: { message: "Bedrock is unable to process your request." },
    },
    seen("ServiceUnavailableError", "Bedrock is unavailable: Bedrock is unable to process your request."),
  ],
  [
    "a modelStreamErrorException with the model's own status and message",
    ["invokeStream", "converseStream"],
    {
      kind: "stream-exception",
      afterFrames: 1,
      exceptionType: "modelStreamErrorException",
      body: { message: "Model stream error.", originalStatusCode: 529, originalMessage: "Overloaded" },
    },
    seen("UpstreamError", "The Bedrock model failed while streaming (model status 529): Overloaded"),
  ],
  [
    "an exception the operation does not model (capitalized)",
    ["invokeStream", "converseStream"],
    {
      kind: "stream-exception",
      afterFrames: 2,
      exceptionType: "ThrottlingException",
      body: { message: "Wrong case." },
    },
    seen("RateLimitError", "Bedrock is throttling requests: Wrong case."),
  ],
  [
    "a modeled exception without a message",
    ["invokeStream"],
    { kind: "stream-exception", afterFrames: 1, exceptionType: "internalServerException", body: {} },
    seen("UpstreamError", "Bedrock failed: Unknown"),
  ],
  [
    "an unmodeled error frame",
    ["invokeStream", "converseStream"],
    { kind: "stream-error-frame", afterFrames: 2, code: "InternalFailure", message: "An internal error occurred." },
    seen("UpstreamError", "Bedrock failed while streaming: An internal error occurred."),
  ],
  [
    "a stream that ends without its last events",
    ["invokeStream", "converseStream"],
    { kind: "truncated-stream", afterFrames: 2 },
    undefined,
  ],
];

describe.each(failures)("both exchanges on %s", (_name, operations, behavior, expected) => {
  it.each(operations)("%s: the same events, then the error the mapping gives", async (operation) => {
    const result = await both(operation, { behavior });
    expect(result.sdk.error).toEqual(expected);
    expect(normalized(result.undici)).toEqual(normalized(result.sdk));
    expect(result.undiciRequests).toHaveLength(1);
  });
});

/*
 * A connection reset is where the two differ, because the SDK's HTTP/2
 * handler does not report it: before the answer it rejects with an error it
 * names TimeoutError ("http2 request did not get a response"); after the
 * answer began, the body just ends, so a JSON answer is cut short and a
 * stream looks complete up to the cut. The undici exchange reports each as
 * the connection failure it is, after the same events.
 */
describe("on a connection reset, both exchanges fail, undici as a connection failure", () => {
  const notInTime = seen("TimeoutError", "Bedrock did not answer in time.");
  const resets: [string, Operation[], BedrockBehavior, Partial<Record<Operation, unknown>>][] = [
    [
      "before the answer",
      ["invoke", "converse", "invokeStream", "converseStream"],
      { kind: "cut" },
      { invoke: notInTime, converse: notInTime, invokeStream: notInTime, converseStream: notInTime },
    ],
    [
      "in the middle of a JSON answer",
      ["invoke", "converse"],
      { kind: "cut", afterFrames: 1 },
      {
        invoke: seen(
          "UpstreamError",
          "Bedrock sent an answer this server cannot read: the model's answer is not JSON.",
        ),
        // The SDK's JSON parser's complaint, after the status of the answer that began well.
        converse: { ...seen("UpstreamError", ""), message: expect.stringMatching(/^Bedrock failed with status 200: /) },
      },
    ],
    ["in the middle of a stream", ["invokeStream", "converseStream"], { kind: "cut", afterFrames: 2 }, {}],
  ];
  describe.each(resets)("%s", (_name, operations, behavior, sdkErrors) => {
    it.each(operations)("%s", async (operation) => {
      const result = await both(operation, { behavior });
      expect(result.undici.error).toEqual(seen("APIConnectionError", "Could not reach Bedrock."));
      expect(result.sdk.error).toEqual(sdkErrors[operation]);
      expect(normalized(result.undici.events)).toEqual(normalized(result.sdk.events));
      expect(result.undiciRequests).toHaveLength(1);
    });
  });
});

describe("an error answer that is not JSON (a proxy's page)", () => {
  it.each(["invoke", "converseStream"] as const)(
    "%s: the same error class, undici quoting the page",
    async (operation) => {
      const result = await both(operation, {
        behavior: {
          kind: "raw-error",
          status: 502,
          headers: { "content-type": "text/html" },
          body: "<html>Bad Gateway</html>",
        },
      });
      // The SDK's message is its JSON parser's complaint plus a note about its own hidden fields.
      expect(result.sdk.error).toEqual({
        ...seen("UpstreamError", ""),
        message: expect.stringMatching(/^Bedrock failed with status 502: /),
      });
      expect(result.undici.error).toEqual(
        seen("UpstreamError", "Bedrock failed with status 502: <html>Bad Gateway</html>"),
      );
    },
  );
});

describe("an event whose payload is not JSON", () => {
  it.each([
    ["invokeStream", "chunk"],
    ["converseStream", "messageStart"],
  ] as const)("%s: the same error class, each with its own reading", async (operation, eventType) => {
    const body = codec.encode({
      headers: {
        ":event-type": { type: "string", value: eventType },
        ":content-type": { type: "string", value: "application/json" },
        ":message-type": { type: "string", value: "event" },
      },
      body: new TextEncoder().encode("not json"),
    });
    const result = await both(operation, { behavior: { kind: "raw-stream", body } });
    expect(result.sdk.error).toEqual({ ...seen("UpstreamError", ""), message: expect.stringMatching(/^Bedrock /) });
    expect(result.undici.error).toEqual(
      seen("UpstreamError", `Bedrock sent an answer this server cannot read: a streamed ${eventType} is not JSON.`),
    );
  });
});

describe("both exchanges on stream bodies the codec refuses", () => {
  const claudeFrames = Buffer.concat([claudeStart, claudeDelta]);
  const converseFrames = Buffer.concat([converseStart, converseDelta]);
  const streams: [string, (frames: Buffer) => Uint8Array, unknown][] = [
    [
      "a body that ends inside a message",
      (frames) => frames.subarray(0, frames.length - 10),
      "Bedrock failed while streaming: Truncated event message received.",
    ],
    [
      "a message whose checksum is wrong",
      (frames) => Buffer.concat([frames, corrupted(claudeDelta)]),
      expect.stringMatching(
        /^Bedrock failed while streaming: The message checksum \(\d+\) did not match the expected value of \d+$/,
      ),
    ],
  ];
  for (const [name, make, expected] of streams) {
    it.each([
      ["invokeStream", claudeFrames],
      ["converseStream", converseFrames],
    ] as const)(`${name} (%s)`, async (operation, frames) => {
      const result = await both(operation, { behavior: { kind: "raw-stream", body: make(frames) } });
      expect(result.sdk.error).toEqual({ ...seen("UpstreamError", ""), message: expected });
      expect(result.undici).toEqual(result.sdk);
    });
  }

  // What each recorded frame must be reported as, by its `:exception-type`.
  const recordedErrors: Record<string, SeenError> = {
    throttlingException: seen(
      "RateLimitError",
      "Bedrock is throttling requests: Too many requests, please wait before trying again.",
    ),
    modelStreamErrorException: seen(
      "UpstreamError",
      "The Bedrock model failed while streaming (model status 500): Internal server error",
    ),
    internalServerException: seen(
      "UpstreamError",
      "Bedrock failed: The system encountered an unexpected error during processing. Try your request again.",
    ),
    validationException: seen(
      "InvalidRequestError",
      "Bedrock rejected the request: Input is too long for requested model.",
    ),
    modelTimeoutException: seen(
      "TimeoutError",
      "The Bedrock model timed out: Model has timed out in processing the request. Try your request again.",
    ),
    serviceUnavailableException: seen(
      "ServiceUnavailableError",
      "Bedrock is unavailable: Bedrock is unable to process your request.",
    ),
    "error frame": seen("UpstreamError", "Bedrock failed while streaming: An internal error occurred."),
  };

  it("know what each recorded exception is reported as", () => {
    const types = recordedExceptions.map((frame) => String(frame.headers[":exception-type"]?.value ?? "error frame"));
    expect(types.sort()).toEqual(Object.keys(recordedErrors).sort());
  });

  it.each(
    recordedExceptions.map((frame, index) => [String(frame.headers[":exception-type"]?.value ?? "error frame"), index]),
  )("the recorded %s after two events", async (name, index) => {
    const exception = exceptionBytes[index as number] ?? new Uint8Array();
    const invoke = await both("invokeStream", {
      behavior: { kind: "raw-stream", body: Buffer.concat([claudeStart, claudeDelta, exception]) },
    });
    expect(invoke.sdk.events).toHaveLength(2);
    expect(invoke.sdk.error).toEqual(recordedErrors[name as string]);
    expect(invoke.undici).toEqual(invoke.sdk);
    const converse = await both("converseStream", {
      behavior: { kind: "raw-stream", body: Buffer.concat([converseStart, converseDelta, exception]) },
    });
    expect(converse.sdk.error).toEqual(recordedErrors[name as string]);
    expect(converse.undici).toEqual(converse.sdk);
  });
});

describe("both exchanges end the upstream call", () => {
  it.each(["invoke", "converseStream"] as const)(
    "%s: at the deadline, as a timeout, when Bedrock does not answer",
    async (operation) => {
      const pair = exchanges({}, 200);
      const errors = [];
      for (const client of CLIENTS) {
        bedrock.reset();
        bedrock.enqueue({ kind: "hang" });
        const [modelId, body] = bodies[operation];
        errors.push((await run(pair[client], operation, modelId, body)).error);
        await bedrock.last().whenAborted;
        expect(bedrock.last().aborted).toBe(true);
      }
      expect(errors).toEqual([
        seen("TimeoutError", "Bedrock did not answer in time."),
        seen("TimeoutError", "Bedrock did not answer in time."),
      ]);
    },
  );

  it.each(["converse", "invokeStream"] as const)(
    "%s: when the caller's signal fires, as a cancellation",
    async (operation) => {
      const pair = exchanges();
      const errors = [];
      for (const client of CLIENTS) {
        bedrock.reset();
        bedrock.enqueue({ kind: "hang" });
        const controller = new AbortController();
        const [modelId, body] = bodies[operation];
        const pending = run(pair[client], operation, modelId, body, controller.signal);
        while (bedrock.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        controller.abort();
        errors.push((await pending).error);
        await bedrock.last().whenAborted;
      }
      const canceled = seen("CanceledError", "The request was cancelled by the caller.");
      expect(errors).toEqual([canceled, canceled]);
    },
  );

  it.each(["invokeStream", "converseStream"] as const)(
    "%s: when the caller leaves in the middle of a stream, as a cancellation",
    async (operation) => {
      const pair = exchanges();
      const outcomes = [];
      for (const client of CLIENTS) {
        bedrock.reset();
        bedrock.enqueue({ kind: "reply", text: "one two three four five", holdAfterFrames: 3 });
        const controller = new AbortController();
        const [modelId, body] = bodies[operation];
        const events: unknown[] = [];
        let error: unknown;
        try {
          const stream =
            operation === "invokeStream"
              ? pair[client].invokeStream(modelId, body, controller.signal)
              : pair[client].converseStream(modelId, body as never, controller.signal);
          for await (const event of stream) {
            events.push(event);
            if (events.length === 2) controller.abort();
          }
        } catch (caught) {
          error = caught;
        }
        outcomes.push({ events: normalized(events), error: describeError(error) });
        await bedrock.last().whenAborted;
      }
      expect(outcomes[0]?.error).toEqual(seen("CanceledError", "The request was cancelled by the caller."));
      expect(outcomes[1]).toEqual(outcomes[0]);
    },
  );

  it.each(["invokeStream", "converseStream"] as const)(
    "%s: when the reader stops early, without an error",
    async (operation) => {
      const pair = exchanges();
      const seen = [];
      for (const client of CLIENTS) {
        bedrock.reset();
        bedrock.enqueue({ kind: "reply", text: "one two three four five", holdAfterFrames: 3 });
        const [modelId, body] = bodies[operation];
        const stream =
          operation === "invokeStream"
            ? pair[client].invokeStream(modelId, body, new AbortController().signal)
            : pair[client].converseStream(modelId, body as never, new AbortController().signal);
        for await (const event of stream) {
          seen.push(normalized(event));
          break;
        }
        await bedrock.last().whenAborted;
        expect(bedrock.last().aborted).toBe(true);
      }
      expect(seen).toHaveLength(2);
      expect(seen[1]).toEqual(seen[0]);
    },
  );
});
