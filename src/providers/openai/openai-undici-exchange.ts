import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { Model as OpenAIModel } from "openai/resources/models";
import { Agent, request } from "undici";
import type { GatewayError } from "../../core/errors.js";
import { VERSION } from "../../version.js";
import type { OpenAIEmbeddingsAnswer } from "../../wire/openai-embeddings.js";
import { relay, run } from "../upstream/run-upstream-call.js";
import { connectionFailed } from "../upstream/upstream-failures.js";
import { answerNotJson, eventNotJson, mapOpenAIErrorAnswer, OPENAI } from "./map-openai-error.js";
import type { OpenAIExchange, OpenAIExchangeOptions } from "./openai-exchange.js";
import { readSseData } from "./read-sse-data.js";

type Dispatcher = InstanceType<typeof Agent>;
type ResponseData = Awaited<ReturnType<typeof request>>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorObject(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>) : undefined;
}

/** Whatever undici throws that is not an answer of OpenAI's is a failure to reach it. */
function readOpenAIUndiciFailure(error: unknown): GatewayError {
  return connectionFailed(OPENAI, error);
}

/**
 * The exchange on undici's `request` over a keep-alive connection pool: the
 * same bytes as the SDK sends, without its per-request machinery (the
 * benchmark shows the difference).
 */
export function createOpenAIUndiciExchange(options: OpenAIExchangeOptions): OpenAIExchange {
  const base = options.baseURL.replace(/\/+$/, "");
  // No undici timeouts: `run` and `relay` keep the idle timeout, as on the SDK exchange.
  const dispatcher: Dispatcher = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    accept: "application/json",
    "content-type": "application/json",
    "user-agent": `open-bedrock/${VERSION}`,
  };
  const call = (signal: AbortSignal, model?: string) => ({
    upstream: OPENAI,
    model,
    idleTimeoutMs: options.timeoutMs,
    signal,
    readFailure: readOpenAIUndiciFailure,
    retry: options.retry,
  });

  async function send(method: "GET" | "POST", path: string, body: unknown, signal: AbortSignal): Promise<ResponseData> {
    const response = await request(`${base}${path}`, {
      method,
      headers,
      signal,
      dispatcher,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.statusCode < 400) return response;
    const text = await response.body.text();
    const retryAfter = response.headers["retry-after"];
    throw mapOpenAIErrorAnswer({
      status: response.statusCode,
      error: errorObject(parseJson(text)) ?? { message: text.slice(0, 500) },
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    });
  }

  async function readJson<T>(response: ResponseData): Promise<T> {
    const text = await response.body.text();
    const parsed = parseJson(text);
    if (parsed === undefined) throw answerNotJson();
    return parsed as T;
  }

  async function* chunks(response: ResponseData): AsyncGenerator<ChatCompletionChunk> {
    const { body } = response;
    try {
      // Leaving a body's iterator destroys the body with an AbortError, whose stack trace cost 4% of a
      // stream's CPU in the bench's profile; stopping at [DONE] drops what may follow instead.
      for await (const data of readSseData(body.iterator({ destroyOnReturn: false }))) {
        if (data === "[DONE]") return;
        const event = parseJson(data);
        if (event === undefined) throw eventNotJson();
        const error = errorObject(event);
        if (error) throw mapOpenAIErrorAnswer({ status: undefined, error });
        yield event as ChatCompletionChunk;
      }
    } finally {
      if (!body.readableEnded && !body.destroyed) body.dump().catch(() => {});
    }
  }

  return {
    complete: (body, signal) =>
      run(call(signal, body.model), async (attempt) =>
        readJson<ChatCompletion>(await send("POST", "/chat/completions", body, attempt)),
      ),
    stream: (body, signal) =>
      relay(call(signal, body.model), async (attempt) =>
        chunks(await send("POST", "/chat/completions", body, attempt)),
      ),
    listModels: (signal) =>
      run(call(signal), async (attempt) => {
        const page = await readJson<{ data?: unknown }>(await send("GET", "/models", undefined, attempt));
        return Array.isArray(page.data) ? (page.data as OpenAIModel[]) : [];
      }),
    embed: (body, signal) =>
      run(call(signal, body.model), async (attempt) =>
        readJson<OpenAIEmbeddingsAnswer>(await send("POST", "/embeddings", body, attempt)),
      ),
  };
}
