/**
 * A fake OpenAI API on a local port that answers as api.openai.com does:
 * `chat.completion` JSON, SSE chunk streams (role chunk, content deltas,
 * tool-call deltas, finish chunk, usage chunk, `data: [DONE]`), OpenAI error
 * bodies with their statuses, `GET /v1/models`, and `POST /v1/embeddings`
 * (see fake-openai-embeddings.ts). It records every request
 * and can be told to be slow, to fail, to fail mid-stream, to hang or to cut
 * the connection.
 */
import type http from "node:http";
import { embeddingsAnswer } from "./fake-openai-embeddings.js";
import { type FakeExchange, FakeServer, type RequestLifecycle } from "./fake-server.js";

export interface ToolCallReply {
  id?: string;
  name: string;
  arguments: string;
}

export type Behavior =
  /** A normal answer; by default derived from the request (see replyFor). */
  | {
      kind: "reply";
      text?: string | null;
      toolCalls?: ToolCallReply[];
      finishReason?: string;
      /** Wait this long before answering. */
      delayMs?: number;
      /** Answer only once this settles: the test says when. */
      until?: Promise<unknown>;
      /** Wait this long between streamed chunks. */
      chunkDelayMs?: number;
      /** Streams: after this many chunks, send nothing more and wait for the client to leave. */
      holdAfterChunks?: number;
      headers?: Record<string, string>;
    }
  /** An HTTP error answer with OpenAI's error body (an object), or a plain-text body (a string). */
  | { kind: "error"; status: number; body: unknown; headers?: Record<string, string> }
  /** A 200 stream that sends some chunks, then an `error` event. */
  | { kind: "midstream-error"; afterChunks: number; error: unknown }
  /** Destroys the socket, after some streamed chunks if asked. */
  | { kind: "cut"; afterChunks?: number }
  /** Never answers; the request stays open until the client gives up. */
  | { kind: "hang" }
  /** Sends these exact bytes as an SSE body (a recorded stream). */
  | { kind: "raw-sse"; body: string };

export const FAKE_OPENAI_KEY = "sk-fake-upstream-secret-0123456789";

interface ChatMessage {
  role?: string;
  content?: unknown;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .filter((part): part is { type: "text"; text: string } => part?.type === "text")
      .map((part) => part.text)
      .join(" ");
  }
  return "";
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** OpenAI's log probabilities of a text, token by token (here word by word), with `top_logprobs` alternatives. */
export function logprobsFor(text: string, top: number) {
  return (text.match(/\S+\s*/g) ?? []).map((token, index) => ({
    token,
    logprob: -0.01 * (index + 1),
    bytes: [...Buffer.from(token)],
    top_logprobs: Array.from({ length: top }, (_, rank) => ({
      token: rank === 0 ? token : `${token.trim()}${rank}`,
      logprob: -0.01 * (index + 1) * (rank + 1),
      bytes: [...Buffer.from(rank === 0 ? token : `${token.trim()}${rank}`)],
    })),
  }));
}

/** The default answer: it repeats the last user message, so tests see their input come back. */
export function replyFor(body: Record<string, unknown>): string {
  const messages = (body.messages as ChatMessage[] | undefined) ?? [];
  const lastUser = [...messages].reverse().find((message) => message.role === "user");
  return `You said: ${textOf(lastUser?.content)}`;
}

const isChatRequest = (request: { path: string }) => request.path === "/v1/chat/completions";
const isEmbeddingsRequest = (request: { path: string }) => request.path === "/v1/embeddings";

function usageFor(body: Record<string, unknown>, completion: string) {
  const messages = (body.messages as ChatMessage[] | undefined) ?? [];
  const prompt = messages.reduce((sum, message) => sum + countWords(textOf(message.content)) + 3, 0);
  const completionTokens = countWords(completion) || 1;
  return {
    prompt_tokens: prompt,
    completion_tokens: completionTokens,
    total_tokens: prompt + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export interface RecordedRequest extends RequestLifecycle {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | undefined;
}

export class FakeOpenAI extends FakeServer<RecordedRequest> {
  readonly models = [
    { id: "gpt-4o-mini", object: "model", created: 1721172741, owned_by: "system" },
    { id: "gpt-4o", object: "model", created: 1715367049, owned_by: "system" },
  ];
  /** What it does when no behaviour is queued: one behaviour, or a function that picks one for each request. */
  defaultBehavior: Behavior | (() => Behavior) = { kind: "reply" };
  #queue: Behavior[] = [];
  #completionCount = 0;
  #chatRequestsTaken = 0;

  /** `apiKey`: the only key it accepts, so a test can run several accounts. */
  constructor(readonly apiKey = FAKE_OPENAI_KEY) {
    super();
  }

  /** Starts listening (`port` 0: any free port); answers the base URL to give an OpenAI client (`.../v1`). */
  override async start(port = 0): Promise<string> {
    await super.start(port);
    return this.baseURL;
  }

  get baseURL(): string {
    return `${this.url}/v1`;
  }

  /** The behaviours for the next chat requests, in order; afterwards it replies normally. */
  enqueue(...behaviors: Behavior[]): void {
    this.#queue.push(...behaviors);
  }

  protected override onReset(): void {
    this.#queue = [];
    this.#chatRequestsTaken = 0;
  }

  /** The chat completion requests received so far. */
  get chatRequests(): RecordedRequest[] {
    return this.requests.filter(isChatRequest);
  }

  /** Like `nextRequest`, counting only chat completion requests. */
  nextChatRequest(): Promise<RecordedRequest> {
    const wanted = this.#chatRequestsTaken;
    this.#chatRequestsTaken += 1;
    return this.waitFor((request) => isChatRequest(request) && this.chatRequests.indexOf(request) === wanted);
  }

  /** The embeddings requests received so far. */
  get embeddingsRequests(): RecordedRequest[] {
    return this.requests.filter(isEmbeddingsRequest);
  }

  lastChatBody(): Record<string, unknown> {
    const last = this.chatRequests.at(-1);
    if (!last?.body) throw new Error("the fake OpenAI received no chat request");
    return last.body;
  }

  protected async handle(exchange: FakeExchange): Promise<void> {
    const raw = exchange.body.toString("utf8");
    const record = this.record(exchange, {
      method: exchange.method,
      path: exchange.url.pathname,
      headers: exchange.headers,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
    });

    if (exchange.headers.authorization !== `Bearer ${this.apiKey}`) {
      this.#json(exchange, 401, {
        error: {
          message: `Incorrect API key provided: ${String(exchange.headers.authorization).slice(7, 13)}***. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      });
      return;
    }
    if (record.method === "GET" && record.path === "/v1/models") {
      this.#json(exchange, 200, { object: "list", data: this.models });
      return;
    }
    if (record.method === "POST" && isEmbeddingsRequest(record) && record.body) {
      const behavior = this.#nextBehavior();
      // A failure (an error answer, a hang, a cut) is the same as for a unary chat request.
      if (behavior.kind === "reply") await this.#embeddings(record.body, behavior, exchange);
      else await this.#answer(record.body, behavior, exchange);
      return;
    }
    if (record.method !== "POST" || record.path !== "/v1/chat/completions" || !record.body) {
      this.#json(exchange, 404, {
        error: {
          message: `Invalid URL (${record.method} ${record.path})`,
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      });
      return;
    }
    const behavior = this.#nextBehavior();
    await this.#answer(record.body, behavior, exchange);
  }

  /** The queued behaviour, else the default one (made anew per request when it is a function). */
  #nextBehavior(): Behavior {
    const fallback = this.defaultBehavior;
    return this.#queue.shift() ?? (typeof fallback === "function" ? fallback() : fallback);
  }

  async #answer(body: Record<string, unknown>, behavior: Behavior, res: FakeExchange): Promise<void> {
    const streaming = body.stream === true;
    switch (behavior.kind) {
      case "error":
        if (typeof behavior.body === "string") {
          // Proxies in front of an upstream answer errors in plain text or HTML.
          res.head(behavior.status, { "content-type": "text/plain", ...behavior.headers });
          res.end(behavior.body);
        } else {
          this.#json(res, behavior.status, behavior.body, behavior.headers);
        }
        return;
      case "hang":
        return;
      case "raw-sse":
        res.head(200, { "content-type": "text/event-stream; charset=utf-8" });
        res.end(behavior.body);
        return;
      case "cut":
        if (!streaming || !behavior.afterChunks) {
          res.cut("close");
          return;
        }
        await this.#stream(body, { kind: "reply" }, res, { stopAfter: behavior.afterChunks, action: "cut" });
        return;
      case "midstream-error":
        await this.#stream(body, { kind: "reply" }, res, {
          stopAfter: behavior.afterChunks,
          action: "error",
          error: behavior.error,
        });
        return;
      case "reply":
        if (behavior.delayMs) await res.pause(behavior.delayMs);
        if (behavior.until) await behavior.until;
        if (res.destroyed) return;
        if (streaming) await this.#stream(body, behavior, res);
        else this.#json(res, 200, this.#completion(body, behavior), behavior.headers);
        return;
    }
  }

  /** `POST /v1/embeddings`: the vectors, or OpenAI's refusal of the body. */
  async #embeddings(
    body: Record<string, unknown>,
    behavior: Extract<Behavior, { kind: "reply" }>,
    res: FakeExchange,
  ): Promise<void> {
    if (behavior.delayMs) await res.pause(behavior.delayMs);
    if (res.destroyed) return;
    const answer = embeddingsAnswer(body);
    this.#json(res, answer.status, answer.body, behavior.headers);
  }

  #completion(body: Record<string, unknown>, behavior: Extract<Behavior, { kind: "reply" }>) {
    const text = behavior.text === undefined ? (behavior.toolCalls ? null : replyFor(body)) : behavior.text;
    const toolCalls = behavior.toolCalls?.map((call, index) => ({
      id: call.id ?? `call_${this.#completionCount}_${index}`,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
    this.#completionCount += 1;
    const logprobs =
      body.logprobs === true
        ? { content: logprobsFor(text ?? "", Number(body.top_logprobs ?? 0)), refusal: null }
        : null;
    return {
      id: `chatcmpl-fake${this.#completionCount}`,
      object: "chat.completion",
      created: 1731679200,
      model: `${String(body.model)}-2024-07-18`,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: text,
            refusal: null,
            annotations: [],
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          logprobs,
          finish_reason: behavior.finishReason ?? (toolCalls ? "tool_calls" : "stop"),
        },
      ],
      usage: usageFor(body, text ?? ""),
      // The tier that served it: the one asked for, `default` for `auto`.
      service_tier:
        typeof body.service_tier === "string" && body.service_tier !== "auto" ? body.service_tier : "default",
      system_fingerprint: "fp_fake",
    };
  }

  /** Streams the completion as OpenAI's SSE chunk sequence. */
  async #stream(
    body: Record<string, unknown>,
    behavior: Extract<Behavior, { kind: "reply" }>,
    res: FakeExchange,
    interrupt?: { stopAfter: number; action: "cut" | "error"; error?: unknown },
  ): Promise<void> {
    const completion = this.#completion(body, behavior);
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const choice = completion.choices[0];
    if (!choice) throw new Error("no choice");
    const streamOptions = (body.stream_options ?? {}) as { include_obfuscation?: boolean };
    const base = {
      id: completion.id,
      object: "chat.completion.chunk",
      created: completion.created,
      model: completion.model,
      service_tier: completion.service_tier,
      system_fingerprint: completion.system_fingerprint,
    };
    const chunk = (delta: object, finishReason: string | null = null, logprobs: unknown = null) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
      // Random padding against length side channels, when asked for (OpenAI's default is to send it).
      ...(streamOptions.include_obfuscation === true
        ? { obfuscation: "x".repeat(1 + (JSON.stringify(delta).length % 7)) }
        : {}),
    });
    const events: object[] = [chunk({ role: "assistant", content: "", refusal: null })];
    const text = choice.message.content;
    if (text) {
      const tokens = choice.logprobs?.content ?? [];
      (text.match(/\S+\s*/g) ?? []).forEach((piece, index) => {
        events.push(
          chunk({ content: piece }, null, choice.logprobs ? { content: [tokens[index]], refusal: null } : null),
        );
      });
    }
    choice.message.tool_calls?.forEach((call, index) => {
      events.push(
        chunk({
          tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }],
        }),
      );
      // Arguments arrive in small fragments, as OpenAI sends them.
      for (const fragment of call.function.arguments.match(/.{1,4}/gs) ?? []) {
        events.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
      }
    });
    events.push(chunk({}, choice.finish_reason));
    if (includeUsage) events.push({ ...base, choices: [], usage: completion.usage });

    res.head(200, { "content-type": "text/event-stream; charset=utf-8", ...(behavior.headers ?? {}) });
    for (const [index, event] of events.entries()) {
      if (interrupt && index === interrupt.stopAfter) {
        if (interrupt.action === "cut") {
          res.cut("close");
        } else {
          res.end(`data: ${JSON.stringify(interrupt.error)}\n\n`);
        }
        return;
      }
      if (res.destroyed || index === behavior.holdAfterChunks) return;
      await res.write(`data: ${JSON.stringify(event)}\n\n`);
      if (behavior.chunkDelayMs) await res.pause(behavior.chunkDelayMs);
    }
    res.end("data: [DONE]\n\n");
  }

  #json(res: FakeExchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.json(status, body, { "x-request-id": `req_fake${this.requests.length}`, ...headers });
  }
}
