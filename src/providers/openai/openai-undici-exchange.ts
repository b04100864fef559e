import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { Agent, request, errors as undiciErrors } from "undici";
import { GatewayError, UpstreamError } from "../../core/errors.js";
import { VERSION } from "../../version.js";
import { canceled, connectionFailed, mapOpenAIErrorAnswer, timedOut } from "./map-openai-error.js";
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

function toGatewayError(error: unknown, signal: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal.aborted || error instanceof undiciErrors.RequestAbortedError) return canceled(error);
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return timedOut(error);
  }
  return connectionFailed(error);
}

/**
 * The exchange on undici's `request` over a keep-alive connection pool: the
 * same bytes as the SDK sends, without its per-request machinery (the
 * benchmark shows the difference).
 */
export function createUndiciExchange(options: OpenAIExchangeOptions): OpenAIExchange {
  const base = options.baseURL.replace(/\/+$/, "");
  // The timeout is idle time (the wait for headers, then between two body
  // chunks), as IdleTimeout makes it on the SDK exchange: a long stream that
  // keeps flowing is not cut.
  const dispatcher: Dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    accept: "application/json",
    "content-type": "application/json",
    "user-agent": `open-bedrock/${VERSION}`,
  };

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
    if (parsed === undefined) throw new UpstreamError("OpenAI answered with something that is not JSON.");
    return parsed as T;
  }

  return {
    async complete(body, signal) {
      try {
        return await readJson(await send("POST", "/chat/completions", body, signal));
      } catch (error) {
        throw toGatewayError(error, signal);
      }
    },
    async *stream(body, signal) {
      try {
        const response = await send("POST", "/chat/completions", body, signal);
        for await (const data of readSseData(response.body)) {
          if (data === "[DONE]") return;
          const event = parseJson(data);
          if (event === undefined) throw new UpstreamError("OpenAI sent a stream event that is not JSON.");
          const error = errorObject(event);
          if (error) throw mapOpenAIErrorAnswer({ status: undefined, error });
          yield event as ChatCompletionChunk;
        }
      } catch (error) {
        throw toGatewayError(error, signal);
      }
    },
    async listModels(signal) {
      try {
        const page = await readJson<{ data?: unknown }>(await send("GET", "/models", undefined, signal));
        return Array.isArray(page.data) ? page.data : [];
      } catch (error) {
        throw toGatewayError(error, signal);
      }
    },
  };
}
