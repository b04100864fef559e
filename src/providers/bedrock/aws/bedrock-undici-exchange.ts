import { extendedEncodeURIComponent } from "@smithy/core/protocols";
import { Agent, request, errors as undiciErrors } from "undici";
import type { GatewayError } from "../../../core/errors.js";
import { VERSION } from "../../../version.js";
import type { ConverseResponse, ConverseStreamEvent } from "../../../wire/bedrock-converse.js";
import { relay, run } from "../../upstream/run-upstream-call.js";
import { connectionFailed } from "../../upstream/upstream-failures.js";
import { BEDROCK, type BedrockExchange, invokeHeaders } from "../bedrock-exchange.js";
import type { RequestAuthorizer } from "./authorize-bedrock-request.js";
import { type BedrockExchangeOptions, bedrockCall } from "./bedrock-call.js";
import type { BedrockSdkClients } from "./bedrock-clients.js";
import { controlPlaneListings } from "./bedrock-control-listings.js";
import { CONVERSE_STREAM_EVENT_TYPES } from "./converse-stream-event-types.js";
import { mapBedrockError } from "./map-bedrock-error.js";
import { readErrorAnswer } from "./read-error-answer.js";
import { readEventStream } from "./read-event-stream.js";
import { readJsonAnswer } from "./read-json-answer.js";
import { readBedrockSdkFailure } from "./read-sdk-error.js";
import {
  CONVERSE_STREAM_EXCEPTIONS,
  eventPayload,
  INVOKE_STREAM_EXCEPTIONS,
  readStreamMessage,
  type StreamEvent,
} from "./read-stream-message.js";

type Dispatcher = InstanceType<typeof Agent>;
type Operation = "invoke" | "invoke-with-response-stream" | "converse" | "converse-stream" | "count-tokens";

/** What the undici exchange takes from the configuration's SDK clients: the listings and the endpoint. */
export interface UndiciExchangeClients extends Pick<BedrockSdkClients, "control"> {
  runtimeUrl(): Promise<URL>;
}

export interface UndiciExchangeOptions extends BedrockExchangeOptions {
  authorizer: RequestAuthorizer;
}

// The model's content type, and the one asked for back: in `Accept` for
// InvokeModel, in `X-Amzn-Bedrock-Accept` for the stream (whose own answer
// is the event stream); Converse takes only its JSON.
const ACCEPT_HEADERS: Record<Operation, Record<string, string>> = {
  invoke: { accept: "application/json" },
  "invoke-with-response-stream": { "x-amzn-bedrock-accept": "application/json" },
  converse: {},
  "converse-stream": {},
  "count-tokens": {},
};

const USER_AGENT = `open-bedrock/${VERSION}`;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Failures of the transport are connection failures; anything else (the
 * credential providers, a network error code, a fault of this program) is
 * read as the SDK exchange reads it.
 */
function readBedrockUndiciFailure(error: unknown, modelId: string): GatewayError | undefined {
  if (error instanceof undiciErrors.UndiciError) return connectionFailed(BEDROCK, error);
  return readBedrockSdkFailure(error, modelId);
}

/**
 * The exchange on undici's `request` over a keep-alive connection pool,
 * with the AWS SDK's own building blocks: its credential providers, its
 * SigV4 signer, its endpoint rules and its event-stream codec. It sends what
 * the SDK client sends (paths, bodies, the headers Bedrock reads, the
 * signature) without the client's per-request middleware stack.
 */
export function createBedrockUndiciExchange(
  clients: UndiciExchangeClients,
  options: UndiciExchangeOptions,
): BedrockExchange {
  // No undici timeouts: `run` and `relay` keep the idle timeout, as on the SDK exchange.
  const dispatcher: Dispatcher = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  const call = (signal: AbortSignal, modelId: string) =>
    bedrockCall(options, signal, (error) => readBedrockUndiciFailure(error, modelId), modelId);

  async function send(
    operation: Operation,
    modelId: string,
    body: unknown,
    signal: AbortSignal,
    extraHeaders: Record<string, string> = {},
  ) {
    const base = await clients.runtimeUrl();
    const prefix = base.pathname.replace(/\/+$/, "");
    const url = new URL(`${base.origin}${prefix}/model/${extendedEncodeURIComponent(modelId)}/${operation}`);
    const bytes = Buffer.from(JSON.stringify(body));
    const headers = await options.authorizer.authorize({
      url,
      headers: {
        host: url.host,
        "content-type": "application/json",
        ...ACCEPT_HEADERS[operation],
        ...extraHeaders,
        "content-length": String(bytes.byteLength),
      },
      body: bytes,
    });
    const sentAt = Date.now();
    const response = await request(url, {
      method: "POST",
      headers: { ...headers, "user-agent": USER_AGENT },
      body: bytes,
      signal,
      dispatcher,
    });
    options.authorizer.observeAnswer(single(response.headers.date), single(response.headers.age), sentAt);
    if (response.statusCode < 300) return response;
    const answer = new Uint8Array(await response.body.arrayBuffer());
    throw mapBedrockError(readErrorAnswer(response.statusCode, response.headers, answer, modelId));
  }

  function unary(
    operation: Operation,
    modelId: string,
    body: unknown,
    signal: AbortSignal,
    headers?: Record<string, string>,
  ): Promise<unknown> {
    return run(call(signal, modelId), async (attempt) => {
      const response = await send(operation, modelId, body, attempt, headers);
      return readJsonAnswer(new Uint8Array(await response.body.arrayBuffer()), "the model's answer");
    });
  }

  /** The events of a stream the caller knows; Bedrock has the idle timeout before each. */
  function stream(
    operation: Operation,
    modelId: string,
    body: unknown,
    signal: AbortSignal,
    known: (event: StreamEvent) => boolean,
    headers?: Record<string, string>,
  ): AsyncGenerator<StreamEvent> {
    const modeled = operation === "converse-stream" ? CONVERSE_STREAM_EXCEPTIONS : INVOKE_STREAM_EXCEPTIONS;
    return relay(call(signal, modelId), async function* (attempt) {
      const response = await send(operation, modelId, body, attempt, headers);
      for await (const message of readEventStream(response.body)) {
        const event = readStreamMessage(message, modeled, modelId);
        if (known(event)) yield event;
      }
    });
  }

  const converseEventTypes: readonly string[] = CONVERSE_STREAM_EVENT_TYPES;

  return {
    invoke: (modelId, body, signal, options) => unary("invoke", modelId, body, signal, invokeHeaders(options)),

    async *invokeStream(modelId, body, signal, options) {
      const chunks = stream(
        "invoke-with-response-stream",
        modelId,
        body,
        signal,
        (event) => event.type === "chunk",
        invokeHeaders(options),
      );
      for await (const chunk of chunks) {
        const { bytes } = eventPayload(chunk);
        yield readJsonAnswer(typeof bytes === "string" ? Buffer.from(bytes, "base64") : undefined, "a streamed chunk");
      }
    },

    async countTokens(modelId, body, signal) {
      // CountTokens takes the InvokeModel body as a base64 blob.
      const input = { input: { invokeModel: { body: Buffer.from(JSON.stringify(body)).toString("base64") } } };
      const answer = (await unary("count-tokens", modelId, input, signal)) as { inputTokens?: unknown };
      return typeof answer.inputTokens === "number" ? answer.inputTokens : 0;
    },

    converse: async (modelId, body, signal) => (await unary("converse", modelId, body, signal)) as ConverseResponse,

    async *converseStream(modelId, body, signal) {
      const events = stream("converse-stream", modelId, body, signal, (event) =>
        converseEventTypes.includes(event.type),
      );
      for await (const event of events) {
        const payload: unknown = eventPayload(event);
        yield { [event.type]: payload } as ConverseStreamEvent;
      }
    },

    ...controlPlaneListings(clients, options),
  };
}
