import type { ForeignAnswers, WireEvent } from "../dialect.js";
import { toTitanError } from "./to-titan-error.js";
import { toTitanResponse } from "./to-titan-response.js";
import { TitanStreamChunks } from "./to-titan-stream-chunks.js";

const unnamed = (chunks: unknown[]): WireEvent[] => chunks.map((data) => ({ data }));

/**
 * Answers in Titan's shape; streams as Titan's chunk JSON in plain `data:`
 * events. Failures as Bedrock Runtime reports them: the exception's name in
 * `x-amzn-errortype` and `{"message"}`; in a stream, an `error` event with
 * both.
 */
export const titanAnswers: ForeignAnswers = {
  unary: toTitanResponse,
  stream: () => {
    const chunks = new TitanStreamChunks();
    return {
      chunk: (chunk) => unnamed(chunks.chunk(chunk)),
      end: () => unnamed(chunks.end()),
      error: (error) => {
        const { exception, body } = toTitanError(error);
        return [{ event: "error", data: { type: exception, ...body } }];
      },
    };
  },
  error: (error) => {
    const { exception, body } = toTitanError(error);
    return { headers: { "x-amzn-errortype": exception }, body };
  },
};
