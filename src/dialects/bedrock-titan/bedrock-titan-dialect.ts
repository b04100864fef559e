import type { TitanTextResponse } from "../../wire/titan-text.js";
import type { Dialect } from "../dialect.js";
import { readBedrockQuery } from "../shared/bedrock-query.js";
import { failureHeaders } from "../shared/failure-headers.js";
import { unsupported } from "../shared/field-checks.js";
import { framedStream } from "../shared/framed-stream.js";
import { prepareBedrockAnswer } from "../shared/prepare-bedrock-answer.js";
import { fromTitanRequest } from "./from-titan-request.js";
import { type TitanError, toTitanError } from "./to-titan-error.js";
import { toTitanResponse } from "./to-titan-response.js";
import { TitanStreamChunks } from "./to-titan-stream-chunks.js";

const ANSWER = "a Titan-format answer (target_format=bedrock_titan)";

/**
 * Amazon Titan Text, as Bedrock takes it: requests read from the
 * InvokeModel body (the model and streaming may come from the query),
 * answers in Titan's shape, streams as Titan's chunk JSON in plain `data:`
 * events. Failures as Bedrock Runtime reports them: the exception's name in
 * `x-amzn-errortype` and `{"message"}`; in a stream, an `error` event with
 * both.
 */
export const bedrockTitan: Dialect<TitanTextResponse, TitanError["body"]> = {
  readRequest: (body, { query }) => fromTitanRequest(body, readBedrockQuery(query)),
  prepareAnswer: (request, stream) => {
    prepareBedrockAnswer(request, stream, ANSWER);
    if (request.tools.length > 0) throw unsupported("tools", `${ANSWER} cannot carry tool calls`);
  },
  writeAnswer: toTitanResponse,
  writeStream: () =>
    framedStream(
      new TitanStreamChunks(),
      (data) => ({ data }),
      (error) => {
        const { exception, body } = toTitanError(error);
        return { event: "error", data: { type: exception, ...body } };
      },
    ),
  writeError: (error) => {
    const { exception, body } = toTitanError(error);
    return { status: error.httpStatus, headers: { ...failureHeaders(error), "x-amzn-errortype": exception }, body };
  },
};
