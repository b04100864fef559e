/**
 * A fake Bedrock Runtime on a local port that behaves like the service on
 * the wire: cleartext HTTP/2 (the SDK's default) and HTTP/1.1 on the same
 * port (told apart by the first bytes, as Bedrock over TLS answers both
 * through ALPN), the REST paths with
 * URL-encoded model ids, SigV4-signed requests (scope and signature checked)
 * or Bedrock API keys, JSON bodies validated as Bedrock validates them,
 * errors with their status, `x-amzn-errortype` and `{"message"}`, and
 * streams in the binary event-stream framing (with `p` padding), including
 * exception frames mid-stream. Answers are derived from the request
 * (`You said: <last user text>`) unless a test scripts another behaviour.
 * It records what it received (decoded) and whether the client aborted.
 */
import { once } from "node:events";
import http from "node:http";
import http2 from "node:http2";
import net, { type AddressInfo } from "node:net";
import type { BedrockConfig } from "../../src/config/load-config.js";
import { type FakeFoundationModel, resolveFakeModel } from "./fake-bedrock-catalog.js";
import { chunkFrame, errorFrame, eventFrame, exceptionFrame } from "./fake-bedrock-eventstream.js";
import { type AwsTestCredentials, verifySigV4 } from "./fake-bedrock-sigv4.js";

export const FAKE_AWS_REGION = "us-west-2";
export const FAKE_AWS_CREDENTIALS: AwsTestCredentials = {
  accessKeyId: "AKIAFAKEBEDROCK00001",
  secretAccessKey: "fakeSecretAccessKey/For+Tests/0123456789abc",
};
export const FAKE_BEDROCK_API_KEY = "ABSKZmFrZS1iZWRyb2NrLWFwaS1rZXktMDEyMzQ1Njc4OQ==";

export type Operation = "invoke" | "invoke-with-response-stream" | "converse" | "converse-stream";

export interface ToolUseReply {
  id?: string;
  name: string;
  input: Record<string, unknown>;
}

export type BedrockBehavior =
  /** A normal answer; by default derived from the request. */
  | {
      kind: "reply";
      text?: string | null;
      toolUses?: ToolUseReply[];
      /** The family's own stop reason (`max_tokens`, `LENGTH`, `content_filtered`, ...). */
      stopReason?: string;
      /** Streams: after this many frames, send nothing more and wait for the client to leave. */
      holdAfterFrames?: number;
      /** Streams: wait this long before each frame. */
      frameDelayMs?: number;
      cacheReadTokens?: number;
    }
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

export interface BedrockRecordedRequest {
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
  /** True once the client closed the request before the answer was complete. */
  aborted: boolean;
  whenAborted: Promise<void>;
}

type Family = "claude" | "titan" | "converse";

interface Answer {
  text: string | null;
  toolUses: Required<ToolUseReply>[];
  stopReason: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number | undefined;
}

const ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/";
/** What every HTTP/2 connection starts with (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
const ROUTE = /^\/model\/(.+)\/(invoke|invoke-with-response-stream|converse|converse-stream)$/;

class ValidationFailure extends Error {}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function malformed(detail: string): never {
  throw new ValidationFailure(`Malformed input request: ${detail}, please reformat your input and try again.`);
}

function checkKeys(body: Record<string, unknown>, allowed: string[], at = "#"): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) malformed(`${at}: extraneous key [${key}] is not permitted`);
  }
}

// ---------------------------------------------------------------- reading requests

interface ReadTurn {
  role: string;
  texts: string[];
  images: string[];
  toolResults: string[];
  toolUses: number;
}

function claudeTurns(body: Record<string, unknown>): ReadTurn[] {
  return (body.messages as { role: string; content: unknown }[]).map(({ role, content }) => {
    const blocks =
      typeof content === "string" ? [{ type: "text", text: content }] : (content as Record<string, unknown>[]);
    const turn: ReadTurn = { role, texts: [], images: [], toolResults: [], toolUses: 0 };
    for (const block of blocks) {
      if (block.type === "text") turn.texts.push(String(block.text));
      if (block.type === "image") {
        const source = block.source as { media_type: string; data: string };
        turn.images.push(`${source.media_type}, ${Buffer.from(source.data, "base64").length} bytes`);
      }
      if (block.type === "tool_use") turn.toolUses += 1;
      if (block.type === "tool_result") {
        const result = block.content;
        turn.toolResults.push(
          typeof result === "string"
            ? result
            : ((result as { text?: string }[] | undefined) ?? []).map((part) => part.text ?? "").join(""),
        );
      }
    }
    return turn;
  });
}

function converseTurns(body: Record<string, unknown>): ReadTurn[] {
  return (body.messages as { role: string; content: Record<string, unknown>[] }[]).map(({ role, content }) => {
    const turn: ReadTurn = { role, texts: [], images: [], toolResults: [], toolUses: 0 };
    for (const block of content) {
      if (typeof block.text === "string") turn.texts.push(block.text);
      if (isRecord(block.image)) {
        const image = block.image as { format: string; source: { bytes: string } };
        turn.images.push(`image/${image.format}, ${Buffer.from(image.source.bytes, "base64").length} bytes`);
      }
      if (block.toolUse) turn.toolUses += 1;
      if (isRecord(block.toolResult)) {
        const parts = (block.toolResult.content as Record<string, unknown>[]) ?? [];
        turn.toolResults.push(
          parts.map((part) => (typeof part.text === "string" ? part.text : JSON.stringify(part.json))).join(""),
        );
      }
    }
    return turn;
  });
}

/** `User: ...` lines of a Titan transcript, as turns. */
function titanTurns(body: Record<string, unknown>): ReadTurn[] {
  const text = String(body.inputText);
  const lastUser = text.lastIndexOf("User: ");
  const said = lastUser === -1 ? text : text.slice(lastUser + 6).replace(/\n+Bot:\s*$/, "");
  return [{ role: "user", texts: [said.trim()], images: [], toolResults: [], toolUses: 0 }];
}

/** The default answer: repeats the last user turn (its text, images or tool results). */
export function replyFor(turns: ReadTurn[]): string {
  const last = [...turns].reverse().find((turn) => turn.role === "user");
  if (!last) return "You said nothing.";
  if (last.toolResults.length > 0 && last.texts.length === 0) return `The tool said: ${last.toolResults.join(" | ")}`;
  const images = last.images.map((image) => ` [image: ${image}]`).join("");
  return `You said: ${last.texts.join(" ")}${images}`;
}

// ---------------------------------------------------------------- validation, as Bedrock does it

function checkAlternation(turns: { role: string }[], converse: boolean): void {
  if (turns.length === 0) {
    throw new ValidationFailure(
      converse ? "The messages field must not be empty." : "messages: at least one message is required",
    );
  }
  if (turns[0]?.role !== "user") {
    throw new ValidationFailure(
      converse
        ? "A conversation must start with a user message. Try again with a conversation that starts with a user message."
        : 'messages: first message must use the "user" role',
    );
  }
  turns.forEach((turn, index) => {
    if (index > 0 && turns[index - 1]?.role === turn.role) {
      throw new ValidationFailure(
        converse
          ? "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."
          : `messages: roles must alternate between "user" and "assistant", but found multiple "${turn.role}" roles in a row`,
      );
    }
  });
}

function validateClaude(body: Record<string, unknown>): void {
  checkKeys(body, [
    "anthropic_version",
    "anthropic_beta",
    "max_tokens",
    "messages",
    "system",
    "stop_sequences",
    "temperature",
    "top_p",
    "top_k",
    "tools",
    "tool_choice",
    "thinking",
    "metadata",
  ]);
  if (body.anthropic_version !== "bedrock-2023-05-31") malformed("#: required key [anthropic_version] not found");
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
    malformed("#: required key [max_tokens] not found");
  }
  if (!Array.isArray(body.messages)) malformed("#: required key [messages] not found");
  const turns = body.messages as { role: string; content: unknown }[];
  checkAlternation(turns, false);
  turns.forEach((turn, index) => {
    const empty =
      turn.content === "" ||
      (Array.isArray(turn.content) && turn.content.length === 0) ||
      (Array.isArray(turn.content) &&
        (turn.content as Record<string, unknown>[]).some((block) => block.type === "text" && block.text === ""));
    if (empty && !(index === turns.length - 1 && turn.role === "assistant")) {
      throw new ValidationFailure(
        `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
  });
  for (const key of ["temperature", "top_p"]) {
    const value = body[key];
    if (value !== undefined && (typeof value !== "number" || value < 0 || value > 1)) {
      malformed(`#/${key}: ${value} is not less or equal to 1`);
    }
  }
  // Bedrock's Claude takes fewer tool_choice types than Anthropic's API (no `none`).
  const choice = body.tool_choice as { type?: unknown } | undefined;
  if (choice !== undefined && !["auto", "any", "tool"].includes(String(choice.type))) {
    throw new ValidationFailure(
      `tool_choice: Input tag '${String(choice.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool'`,
    );
  }
}

function validateTitan(body: Record<string, unknown>): void {
  checkKeys(body, ["inputText", "textGenerationConfig"]);
  if (typeof body.inputText !== "string") malformed("#: required key [inputText] not found");
  if (body.textGenerationConfig !== undefined) {
    if (!isRecord(body.textGenerationConfig)) malformed("#/textGenerationConfig: expected type: JSONObject");
    checkKeys(
      body.textGenerationConfig,
      ["maxTokenCount", "temperature", "topP", "stopSequences"],
      "#/textGenerationConfig",
    );
  }
}

function validateConverse(body: Record<string, unknown>): void {
  const messages = body.messages as { role: string; content: Record<string, unknown>[] }[] | undefined;
  if (!Array.isArray(messages)) throw new ValidationFailure("The messages field is required.");
  checkAlternation(messages, true);
  let toolBlocks = false;
  messages.forEach((message, index) => {
    if (!Array.isArray(message.content) || message.content.length === 0) {
      throw new ValidationFailure(`The content field in the Message object at messages.${index} is empty.`);
    }
    message.content.forEach((block, blockIndex) => {
      if (typeof block.text === "string" && block.text.trim() === "") {
        throw new ValidationFailure(
          `The text field in the ContentBlock object at messages.${index}.content.${blockIndex} is blank. Add text to the text field, and try again.`,
        );
      }
      if (block.toolUse || block.toolResult) toolBlocks = true;
      if (block.image && message.role !== "user") {
        throw new ValidationFailure("Images are only supported in user messages.");
      }
    });
  });
  if (toolBlocks && !body.toolConfig) {
    throw new ValidationFailure(
      "The toolConfig field must be defined when using toolUse and toolResult content blocks.",
    );
  }
  const system = (body.system as { text?: string }[] | undefined) ?? [];
  if (system.some((block) => block.text !== undefined && block.text.trim() === "")) {
    throw new ValidationFailure("The text field in the SystemContentBlock object is blank.");
  }
  const config = body.inferenceConfig as Record<string, number> | undefined;
  for (const key of ["temperature", "topP"]) {
    const value = config?.[key];
    if (value !== undefined && (value < 0 || value > 1)) {
      throw new ValidationFailure(
        `1 validation error detected: Value '${value}' at 'inferenceConfig.${key}' failed to satisfy constraint: Member must have value less than or equal to 1`,
      );
    }
  }
}

// ---------------------------------------------------------------- the server

const sleepUntil = (promise: Promise<unknown>) => promise.then(() => undefined);
/** Waits `ms`, or less when the client leaves first. */
const pauseUnless = (ms: number, aborted: Promise<unknown>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void aborted.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });

type FakeRequest = http2.Http2ServerRequest | http.IncomingMessage;

/** The answer to one request, whichever HTTP version carries it. */
interface Reply {
  head(status: number, headers: Record<string, string>): void;
  /** Resolves once the bytes are handed to the connection. */
  write(bytes: Uint8Array): Promise<void>;
  end(body?: string): void;
  readonly destroyed: boolean;
  destroy(error?: Error): void;
  /** Cuts the whole connection with a TCP reset, as a network failure would. */
  cut(): void;
  /** Calls back when the client leaves before the answer ended. */
  onAbort(listener: () => void): void;
}

function http2Reply(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse, socket?: net.Socket): Reply {
  return {
    head: (status, headers) => res.writeHead(status, headers),
    write: (bytes) => new Promise<void>((resolve) => res.write(bytes, () => resolve())),
    end: (body) => (body === undefined ? res.end() : res.end(body)),
    get destroyed() {
      return res.stream.destroyed;
    },
    destroy: (error) => res.stream.destroy(error),
    // The session only lends a guarded view of its socket; the fake keeps the socket itself.
    cut: () => socket?.resetAndDestroy(),
    // The client resetting the stream (RST_STREAM, any code) before the answer ended.
    onAbort: (listener) => req.once("aborted", listener),
  };
}

function http1Reply(req: http.IncomingMessage, res: http.ServerResponse): Reply {
  return {
    head: (status, headers) => res.writeHead(status, headers),
    write: (bytes) => new Promise<void>((resolve) => res.write(bytes, () => resolve())),
    end: (body) => (body === undefined ? res.end() : res.end(body)),
    get destroyed() {
      return res.destroyed;
    },
    destroy: (error) => res.destroy(error),
    cut: () => req.socket.resetAndDestroy(),
    // The client closing the connection before the answer ended.
    onAbort: (listener) =>
      res.once("close", () => {
        if (!res.writableFinished) listener();
      }),
  };
}

export class FakeBedrock {
  readonly requests: BedrockRecordedRequest[] = [];
  /** Credentials the fake accepts, by access key id. */
  readonly credentials = new Map<string, AwsTestCredentials>([
    [FAKE_AWS_CREDENTIALS.accessKeyId, FAKE_AWS_CREDENTIALS],
  ]);
  readonly region: string;
  /** How many connections clients have opened to it (each HTTP/1.1 socket or HTTP/2 session). */
  connectionsOpened = 0;
  #queue: BedrockBehavior[] = [];
  #counter = 0;
  readonly #listener = net.createServer((socket) => this.#route(socket));
  readonly #http2 = http2.createServer();
  readonly #http1 = http.createServer({ keepAliveTimeout: 30_000 });
  readonly #sockets = new Set<net.Socket>();

  constructor(region = FAKE_AWS_REGION) {
    this.region = region;
    this.#http2.on("request", (req, res) => {
      const socket = [...this.#sockets].find((candidate) => candidate.remotePort === req.socket.remotePort);
      const reply = http2Reply(req, res, socket);
      this.#handle(req, reply).catch((error: unknown) => reply.destroy(error as Error));
    });
    this.#http1.on("request", (req, res) => {
      const reply = http1Reply(req, res);
      this.#handle(req, reply).catch((error: unknown) => reply.destroy(error as Error));
    });
  }

  /** Hands each connection to the HTTP/2 or the HTTP/1.1 server by its first bytes. */
  #route(socket: net.Socket): void {
    this.connectionsOpened += 1;
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
    socket.on("error", () => {});
    let seen = Buffer.alloc(0);
    const onReadable = () => {
      for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
        seen = Buffer.concat([seen, chunk]);
      }
      const compared = Math.min(seen.length, HTTP2_PREFACE.length);
      const h2 = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
      if (compared === 0 || (h2 && compared < HTTP2_PREFACE.length)) return;
      socket.off("readable", onReadable);
      // Reading kept the socket paused; the chosen server reads these bytes again.
      socket.unshift(seen);
      (h2 ? this.#http2 : this.#http1).emit("connection", socket);
    };
    socket.on("readable", onReadable);
  }

  async start(): Promise<string> {
    this.#listener.listen(0, "127.0.0.1");
    await once(this.#listener, "listening");
    return this.url;
  }

  /** The endpoint to give the Bedrock Runtime client. */
  get url(): string {
    const { port } = this.#listener.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Stops, ending the clients' connections (the SDK keeps its HTTP/2 sessions open, undici its sockets). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#listener.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** The behaviours for the next requests, in order; afterwards it answers normally. */
  enqueue(...behaviors: BedrockBehavior[]): void {
    this.#queue.push(...behaviors);
  }

  reset(): void {
    this.#queue = [];
    this.requests.length = 0;
    this.connectionsOpened = 0;
  }

  last(): BedrockRecordedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error("the fake Bedrock received no request");
    return last;
  }

  async #handle(req: FakeRequest, res: Reply): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const rawPath = req.url ?? "/";
    const route = ROUTE.exec(new URL(rawPath, "http://fake").pathname);
    if (req.method !== "POST" || !route) {
      this.#error(res, 404, "UnknownOperationException", `No operation at ${req.method} ${rawPath}.`);
      return;
    }
    const auth = this.#authenticate(req, raw);
    if (typeof auth !== "string") {
      this.#error(res, 403, auth.errorType, auth.message);
      return;
    }
    let markAborted = () => {};
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    } catch {
      this.#error(
        res,
        400,
        "ValidationException",
        "Malformed input request, please reformat your input and try again.",
      );
      return;
    }
    const record: BedrockRecordedRequest = {
      operation: route[2] as Operation,
      modelId: decodeURIComponent(route[1] ?? ""),
      rawPath,
      headers: req.headers,
      httpVersion: req.httpVersion,
      body,
      auth,
      aborted: false,
      whenAborted: new Promise<void>((resolve) => {
        markAborted = resolve;
      }),
    };
    res.onAbort(() => {
      record.aborted = true;
      markAborted();
    });
    this.requests.push(record);
    const behavior = this.#queue.shift() ?? { kind: "reply" };
    await this.#answer(record, behavior, res);
  }

  #authenticate(req: FakeRequest, body: Buffer): "sigv4" | "bearer" | { errorType: string; message: string } {
    const authorization = String(req.headers.authorization ?? "");
    if (authorization.startsWith("Bearer ")) {
      return authorization === `Bearer ${FAKE_BEDROCK_API_KEY}`
        ? "bearer"
        : {
            errorType: "UnrecognizedClientException",
            message: "Invalid API Key format: Must start with pre-defined prefix",
          };
    }
    const verdict = verifySigV4(
      { method: req.method ?? "", rawUrl: req.url ?? "/", headers: req.headers, body },
      { region: this.region, service: "bedrock", credentials: (id) => this.credentials.get(id) },
    );
    return verdict.ok ? "sigv4" : verdict;
  }

  #family(record: BedrockRecordedRequest, model: FakeFoundationModel): Family {
    if (record.operation === "converse" || record.operation === "converse-stream") return "converse";
    if (model.modelId.startsWith("anthropic.claude")) return "claude";
    if (model.modelId.startsWith("amazon.titan-text")) return "titan";
    throw new ValidationFailure(`This model does not support the InvokeModel body you sent (${model.modelId}).`);
  }

  async #answer(record: BedrockRecordedRequest, behavior: BedrockBehavior, res: Reply): Promise<void> {
    if (behavior.kind === "error") {
      this.#error(res, behavior.status, behavior.errorType, behavior.message, behavior.extra);
      return;
    }
    if (behavior.kind === "raw-error") {
      res.head(behavior.status, behavior.headers);
      res.end(behavior.body);
      return;
    }
    if (behavior.kind === "cut" && behavior.afterFrames === undefined) {
      res.cut();
      return;
    }
    if (behavior.kind === "hang") {
      await sleepUntil(record.whenAborted);
      return;
    }
    const model = resolveFakeModel(this.region, record.modelId);
    if (!model) {
      this.#error(
        res,
        404,
        "ResourceNotFoundException",
        "Could not resolve the foundation model from the provided model identifier.",
      );
      return;
    }
    const profileOrArn = record.modelId !== model.modelId;
    if (!profileOrArn && !model.inferenceTypesSupported.includes("ON_DEMAND")) {
      this.#error(
        res,
        400,
        "ValidationException",
        `Invocation of model ID ${model.modelId} with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      );
      return;
    }
    let family: Family;
    let turns: ReadTurn[];
    try {
      family = this.#family(record, model);
      if (family === "claude") validateClaude(record.body);
      if (family === "titan") validateTitan(record.body);
      if (family === "converse") validateConverse(record.body);
      turns =
        family === "claude"
          ? claudeTurns(record.body)
          : family === "titan"
            ? titanTurns(record.body)
            : converseTurns(record.body);
    } catch (error) {
      if (!(error instanceof ValidationFailure)) throw error;
      this.#error(res, 400, "ValidationException", error.message);
      return;
    }
    if (behavior.kind === "raw-json") {
      this.#json(res, behavior.body);
      return;
    }
    const streaming = record.operation.endsWith("stream");
    if (behavior.kind === "raw-stream") {
      await this.#writeStream(res, record, [behavior.body]);
      return;
    }
    const reply = behavior.kind === "reply" ? behavior : { kind: "reply" as const };
    const answer = this.#answerFor(family, turns, record.body, reply);
    if (!streaming) {
      const json =
        family === "claude"
          ? claudeMessage(answer, this.#counter)
          : family === "titan"
            ? titanResponse(answer)
            : converseResponse(answer);
      if (behavior.kind === "cut") {
        // Half of the answer, then the connection is gone.
        const text = JSON.stringify(json);
        res.head(200, { "content-type": "application/json", "x-amzn-requestid": this.#requestId() });
        await res.write(Buffer.from(text.slice(0, text.length / 2)));
        res.cut();
        return;
      }
      this.#json(res, json);
      return;
    }
    const frames =
      family === "claude"
        ? claudeFrames(answer, this.#counter)
        : family === "titan"
          ? titanFrames(answer)
          : converseFrames(answer);
    switch (behavior.kind) {
      case "reply":
        if (behavior.holdAfterFrames !== undefined) {
          await this.#writeStream(res, record, frames.slice(0, behavior.holdAfterFrames), {
            hold: true,
            frameDelayMs: behavior.frameDelayMs,
          });
          return;
        }
        await this.#writeStream(res, record, frames, { frameDelayMs: behavior.frameDelayMs });
        return;
      case "stream-exception":
        await this.#writeStream(res, record, [
          ...frames.slice(0, behavior.afterFrames),
          exceptionFrame(behavior.exceptionType, behavior.body),
        ]);
        return;
      case "stream-error-frame":
        await this.#writeStream(res, record, [
          ...frames.slice(0, behavior.afterFrames),
          errorFrame(behavior.code, behavior.message),
        ]);
        return;
      case "claude-error-event":
        await this.#writeStream(res, record, [
          ...frames.slice(0, behavior.afterFrames),
          chunkFrame({ type: "error", error: { type: behavior.errorType, message: behavior.message } }),
        ]);
        return;
      case "truncated-stream":
        await this.#writeStream(res, record, frames.slice(0, behavior.afterFrames));
        return;
      case "cut":
        await this.#writeStream(res, record, frames.slice(0, behavior.afterFrames), { cut: true });
        return;
    }
  }

  #answerFor(
    family: Family,
    turns: ReadTurn[],
    body: Record<string, unknown>,
    reply: Extract<BedrockBehavior, { kind: "reply" }>,
  ): Answer {
    this.#counter += 1;
    const toolUses = (reply.toolUses ?? []).map((use, index) => ({
      id:
        use.id ??
        (family === "claude" ? `toolu_bdrk_fake${this.#counter}x${index}` : `tooluse_fake${this.#counter}x${index}`),
      name: use.name,
      input: use.input,
    }));
    const text = reply.text === undefined ? (toolUses.length > 0 ? null : replyFor(turns)) : reply.text;
    const prompt = JSON.stringify(body.messages ?? body.inputText ?? "");
    const stopReason =
      reply.stopReason ?? (family === "titan" ? "FINISH" : toolUses.length > 0 ? "tool_use" : "end_turn");
    return {
      text,
      toolUses,
      stopReason,
      inputTokens: words(prompt.replace(/[{}[\]",:]/g, " ")) + turns.length * 3,
      outputTokens: Math.max(1, words(text ?? "") + toolUses.length * 5),
      cacheReadTokens: reply.cacheReadTokens,
    };
  }

  async #writeStream(
    res: Reply,
    record: BedrockRecordedRequest,
    frames: Uint8Array[],
    options: { hold?: boolean; cut?: boolean; frameDelayMs?: number } = {},
  ): Promise<void> {
    res.head(200, {
      "content-type": "application/vnd.amazon.eventstream",
      "x-amzn-requestid": this.#requestId(),
      ...(record.operation === "invoke-with-response-stream"
        ? { "x-amzn-bedrock-content-type": "application/json" }
        : {}),
    });
    for (const frame of frames) {
      if (options.frameDelayMs) await pauseUnless(options.frameDelayMs, record.whenAborted);
      if (res.destroyed) return;
      await res.write(frame);
    }
    if (options.hold) {
      await sleepUntil(record.whenAborted);
      return;
    }
    if (options.cut) {
      res.cut();
      return;
    }
    res.end();
  }

  #requestId(): string {
    return `a1b2c3d4-0000-4000-8000-${String(this.requests.length).padStart(12, "0")}`;
  }

  #json(res: Reply, body: unknown): void {
    res.head(200, { "content-type": "application/json", "x-amzn-requestid": this.#requestId() });
    res.end(JSON.stringify(body));
  }

  #error(res: Reply, status: number, errorType: string, message: string, extra: Record<string, unknown> = {}): void {
    res.head(status, {
      "content-type": "application/json",
      "x-amzn-errortype": `${errorType}:${ERROR_NAMESPACE}`,
      "x-amzn-requestid": this.#requestId(),
    });
    res.end(JSON.stringify({ message, ...extra }));
  }
}

// ---------------------------------------------------------------- answers per family

function fragments(text: string, size: number): string[] {
  return text.match(new RegExp(`[\\s\\S]{1,${size}}`, "g")) ?? [];
}

function textPieces(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

function claudeUsage(answer: Answer) {
  return {
    input_tokens: answer.inputTokens,
    output_tokens: answer.outputTokens,
    ...(answer.cacheReadTokens === undefined
      ? {}
      : { cache_read_input_tokens: answer.cacheReadTokens, cache_creation_input_tokens: 0 }),
  };
}

function claudeMessage(answer: Answer, counter: number) {
  return {
    id: `msg_bdrk_fake${counter}`,
    type: "message",
    role: "assistant",
    model: "claude-3-5-sonnet-20240620",
    content: [
      ...(answer.text === null ? [] : [{ type: "text", text: answer.text }]),
      ...answer.toolUses.map((use) => ({ type: "tool_use", id: use.id, name: use.name, input: use.input })),
    ],
    stop_reason: answer.stopReason,
    stop_sequence: null,
    usage: claudeUsage(answer),
  };
}

function claudeFrames(answer: Answer, counter: number): Uint8Array[] {
  const shell = {
    ...claudeMessage(answer, counter),
    content: [],
    stop_reason: null,
    usage: { ...claudeUsage(answer), output_tokens: 1 },
  };
  const events: unknown[] = [{ type: "message_start", message: shell }];
  let index = 0;
  if (answer.text !== null) {
    events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const piece of textPieces(answer.text)) {
      events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    }
    events.push({ type: "content_block_stop", index });
    index += 1;
  }
  for (const use of answer.toolUses) {
    events.push({
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: use.id, name: use.name, input: {} },
    });
    events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "" } });
    for (const fragment of fragments(JSON.stringify(use.input), 7)) {
      events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: fragment } });
    }
    events.push({ type: "content_block_stop", index });
    index += 1;
  }
  events.push({
    type: "message_delta",
    delta: { stop_reason: answer.stopReason, stop_sequence: null },
    usage: { output_tokens: answer.outputTokens },
  });
  events.push({
    type: "message_stop",
    "amazon-bedrock-invocationMetrics": {
      inputTokenCount: answer.inputTokens,
      outputTokenCount: answer.outputTokens,
      invocationLatency: 1181,
      firstByteLatency: 366,
    },
  });
  return events.map(chunkFrame);
}

function titanResponse(answer: Answer) {
  return {
    inputTextTokenCount: answer.inputTokens,
    results: [{ tokenCount: answer.outputTokens, outputText: answer.text ?? "", completionReason: answer.stopReason }],
  };
}

function titanFrames(answer: Answer): Uint8Array[] {
  const pieces = textPieces(answer.text ?? "");
  const chunks: Record<string, unknown>[] = pieces.map((outputText, position) => ({
    outputText,
    index: 0,
    totalOutputTextTokenCount: null,
    completionReason: null,
    inputTextTokenCount: position === 0 ? answer.inputTokens : null,
  }));
  chunks.push({
    outputText: "",
    index: 0,
    totalOutputTextTokenCount: answer.outputTokens,
    completionReason: answer.stopReason,
    inputTextTokenCount: null,
    "amazon-bedrock-invocationMetrics": {
      inputTokenCount: answer.inputTokens,
      outputTokenCount: answer.outputTokens,
      invocationLatency: 2420,
      firstByteLatency: 1160,
    },
  });
  return chunks.map(chunkFrame);
}

function converseUsage(answer: Answer) {
  const cache = answer.cacheReadTokens ?? 0;
  return {
    inputTokens: answer.inputTokens,
    outputTokens: answer.outputTokens,
    totalTokens: answer.inputTokens + cache + answer.outputTokens,
    ...(answer.cacheReadTokens === undefined ? {} : { cacheReadInputTokens: cache, cacheWriteInputTokens: 0 }),
  };
}

function converseResponse(answer: Answer) {
  return {
    output: {
      message: {
        role: "assistant",
        content: [
          ...(answer.text === null ? [] : [{ text: answer.text }]),
          ...answer.toolUses.map((use) => ({ toolUse: { toolUseId: use.id, name: use.name, input: use.input } })),
        ],
      },
    },
    stopReason: answer.stopReason,
    usage: converseUsage(answer),
    metrics: { latencyMs: 926 },
  };
}

function converseFrames(answer: Answer): Uint8Array[] {
  const frames = [eventFrame("messageStart", { role: "assistant" })];
  let index = 0;
  if (answer.text !== null) {
    for (const piece of textPieces(answer.text)) {
      frames.push(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { text: piece } }));
    }
    frames.push(eventFrame("contentBlockStop", { contentBlockIndex: index }));
    index += 1;
  }
  for (const use of answer.toolUses) {
    frames.push(
      eventFrame("contentBlockStart", {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: use.id, name: use.name } },
      }),
    );
    frames.push(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: "" } } }));
    for (const fragment of fragments(JSON.stringify(use.input), 7)) {
      frames.push(
        eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: fragment } } }),
      );
    }
    frames.push(eventFrame("contentBlockStop", { contentBlockIndex: index }));
    index += 1;
  }
  frames.push(eventFrame("messageStop", { stopReason: answer.stopReason }));
  frames.push(eventFrame("metadata", { usage: converseUsage(answer), metrics: { latencyMs: 1957 } }));
  return frames;
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
