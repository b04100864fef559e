import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { Model as OpenAIModel } from "openai/resources/models";
import { canceled, type GatewayError } from "../../core/errors.js";
import type { OpenAIEmbeddingsAnswer } from "../../wire/openai-embeddings.js";
import { relay, run } from "../upstream/run-upstream-call.js";
import { connectionFailed, timedOut } from "../upstream/upstream-failures.js";
import { answerNotJson, eventNotJson, mapOpenAIErrorAnswer, OPENAI } from "./map-openai-error.js";
import type { OpenAIExchange, OpenAIExchangeOptions } from "./openai-exchange.js";

/**
 * What the SDK throws, as the error it means. The SDK reports every network
 * failure as its own; a SyntaxError is its JSON parser's, on a body or an
 * event that is not JSON.
 */
function readOpenAISdkFailure(error: unknown, notJson: () => GatewayError): GatewayError {
  if (error instanceof SyntaxError) return notJson();
  if (error instanceof APIUserAbortError) return canceled(error);
  if (error instanceof APIConnectionTimeoutError) return timedOut(OPENAI, error);
  if (error instanceof APIConnectionError) return connectionFailed(OPENAI, error);
  if (error instanceof APIError) {
    const body = error.error;
    return mapOpenAIErrorAnswer({
      status: error.status,
      // Without OpenAI's error object the SDK's message is "<status> <body text>".
      error:
        typeof body === "object" && body !== null
          ? (body as Record<string, unknown>)
          : { message: error.message.replace(/^\d{3} /, "") },
      retryAfter: error.headers?.get("retry-after"),
    });
  }
  return connectionFailed(OPENAI, error);
}

/** The exchange on the official `openai` SDK. */
export function createOpenAISdkExchange(options: OpenAIExchangeOptions): OpenAIExchange {
  // The SDK's own retries stay off: `run` and `relay` retry (UPSTREAM_RETRIES)
  // as for every exchange, and both would multiply the attempts. The SDK's own
  // timeout covers only the wait for response headers; `run` and `relay` add
  // the wait for each chunk of a stream.
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: 0,
  });
  const call = (signal: AbortSignal, model?: string, notJson = answerNotJson) => ({
    upstream: OPENAI,
    model,
    idleTimeoutMs: options.timeoutMs,
    signal,
    readFailure: (error: unknown) => readOpenAISdkFailure(error, notJson),
    retry: options.retry,
  });

  return {
    complete: (body, signal) =>
      run(call(signal, body.model), async (attempt) => {
        const answer = await client.chat.completions.create(body, { signal: attempt });
        // The SDK hands over a body that is not JSON as its text.
        if (typeof answer !== "object" || answer === null) throw answerNotJson();
        return answer;
      }),
    stream: (body, signal) =>
      relay(call(signal, body.model, eventNotJson), (attempt) =>
        client.chat.completions.create(body, { signal: attempt }),
      ),
    listModels: (signal) =>
      run(call(signal), async (attempt) => {
        const models: OpenAIModel[] = [];
        for await (const model of client.models.list({ signal: attempt })) models.push(model);
        return models;
      }),
    embed: (body, signal) =>
      run(call(signal, body.model), async (attempt) => {
        // With `encoding_format` set the SDK hands the answer over as it came, base64 strings included.
        const answer: unknown = await client.embeddings.create(body, { signal: attempt });
        if (typeof answer !== "object" || answer === null) throw answerNotJson();
        return answer as OpenAIEmbeddingsAnswer;
      }),
  };
}
