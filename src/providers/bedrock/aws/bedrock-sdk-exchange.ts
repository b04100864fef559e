import {
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type Trace,
} from "@aws-sdk/client-bedrock-runtime";
import type { ConverseResponse, ConverseStreamEvent } from "../../../wire/bedrock-converse.js";
import { relay, run } from "../../upstream/run-upstream-call.js";
import type { BedrockExchange, InvokeOptions } from "../bedrock-exchange.js";
import { type BedrockExchangeOptions, bedrockCall } from "./bedrock-call.js";
import type { BedrockSdkClients } from "./bedrock-clients.js";
import { controlPlaneListings } from "./bedrock-control-listings.js";
import { CONVERSE_STREAM_EVENT_TYPES } from "./converse-stream-event-types.js";
import { readJsonAnswer } from "./read-json-answer.js";
import { readBedrockSdkFailure } from "./read-sdk-error.js";
import { fromSdkValue, toSdkConverseInput } from "./sdk-converse-shapes.js";

/** The exchange on `@aws-sdk/client-bedrock-runtime` and `@aws-sdk/client-bedrock`. */
export function createBedrockSdkExchange(clients: BedrockSdkClients, options: BedrockExchangeOptions): BedrockExchange {
  const call = (signal: AbortSignal, modelId: string) =>
    bedrockCall(options, signal, (error) => readBedrockSdkFailure(error, modelId), modelId);
  const invokeInput = (modelId: string, body: unknown, options: InvokeOptions = {}) => ({
    modelId,
    body: JSON.stringify(body),
    contentType: "application/json",
    accept: "application/json",
    ...(options.guardrail
      ? {
          guardrailIdentifier: options.guardrail.identifier,
          guardrailVersion: options.guardrail.version,
          trace: options.guardrail.trace.toUpperCase() as Trace,
        }
      : {}),
    ...(options.latency ? { performanceConfigLatency: options.latency } : {}),
    ...(options.serviceTier ? { serviceTier: options.serviceTier } : {}),
  });
  const converseInput = (modelId: string, body: Parameters<typeof toSdkConverseInput>[0]): ConverseCommandInput => ({
    modelId,
    ...toSdkConverseInput(body),
  });

  return {
    invoke: (modelId, body, signal, options) =>
      run(call(signal, modelId), async (attempt) => {
        const answer = await (await clients.runtime()).send(
          new InvokeModelCommand(invokeInput(modelId, body, options)),
          { abortSignal: attempt },
        );
        return readJsonAnswer(answer.body, "the model's answer");
      }),

    invokeStream: (modelId, body, signal, options) =>
      relay(call(signal, modelId), async function* (attempt) {
        const answer = await (await clients.runtime()).send(
          new InvokeModelWithResponseStreamCommand(invokeInput(modelId, body, options)),
          {
            abortSignal: attempt,
          },
        );
        for await (const event of answer.body ?? []) {
          if (event.chunk) yield readJsonAnswer(event.chunk.bytes, "a streamed chunk");
        }
      }),

    countTokens: (modelId, body, signal) =>
      run(call(signal, modelId), async (attempt) => {
        const answer = await (await clients.runtime()).send(
          new CountTokensCommand({
            modelId,
            input: { invokeModel: { body: Buffer.from(JSON.stringify(body)) } },
          }),
          { abortSignal: attempt },
        );
        return answer.inputTokens ?? 0;
      }),

    converse: (modelId, body, signal) =>
      run(call(signal, modelId), async (attempt) => {
        const { $metadata: _metadata, ...answer } = await (await clients.runtime()).send(
          new ConverseCommand(converseInput(modelId, body)),
          { abortSignal: attempt },
        );
        return fromSdkValue(answer) as ConverseResponse;
      }),

    converseStream: (modelId, body, signal) =>
      relay(call(signal, modelId), async function* (attempt) {
        const answer = await (await clients.runtime()).send(new ConverseStreamCommand(converseInput(modelId, body)), {
          abortSignal: attempt,
        });
        for await (const event of answer.stream ?? []) {
          const type = CONVERSE_STREAM_EVENT_TYPES.find((name) => event[name] !== undefined);
          if (type) yield { [type]: fromSdkValue(event[type]) } as ConverseStreamEvent;
        }
      }),

    ...controlPlaneListings(clients, options),
  };
}
