import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { ChatCompletionRequestSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { type BedrockQuery, bedrockModel, bedrockStream, type ForeignRequest } from "../shared/bedrock-query.js";
import { nonEmptyString, numberIn, stopSequences } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";
import { readTitanTranscript } from "./read-titan-transcript.js";

type RequestInit = MessageInitShape<typeof ChatCompletionRequestSchema>;

interface TitanBodyInput {
  body: JsonFields;
  /** `textGenerationConfig`, when the body has one. */
  config: JsonFields | undefined;
  query: BedrockQuery;
}

/**
 * The canonical request's fields, each read from the Titan body (and the
 * query, for the model). Unknown keys are ignored.
 */
const PARAMETERS: { [Name in keyof RequestInit]?: (input: TitanBodyInput) => RequestInit[Name] | undefined } = {
  model: ({ body, query }) => bedrockModel(body, query, "Titan text"),
  messages: ({ body }) => readTitanTranscript(nonEmptyString(body, "inputText")),
  maxTokens: ({ config }) => config && numberIn(config, "maxTokenCount", 1, Number.MAX_SAFE_INTEGER, true),
  temperature: ({ config }) => config && numberIn(config, "temperature", 0, 1),
  topP: ({ config }) => config && numberIn(config, "topP", 0, 1),
  stop: ({ config }) => config && stopSequences(config, "stopSequences"),
  stream: ({ body, query }) => bedrockStream(body, query),
};

/** Reads a Titan text body (`inputText`, `textGenerationConfig`) into the canonical request. */
export function fromTitanRequest(value: unknown, query: BedrockQuery = {}): ForeignRequest {
  const body = JsonFields.of(value, "");
  const input: TitanBodyInput = { body, config: body.nested("textGenerationConfig"), query };
  const init: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(PARAMETERS)) {
    const field = (read as (input: TitanBodyInput) => unknown)(input);
    if (field !== undefined) init[name] = field;
  }
  const request = create(ChatCompletionRequestSchema, init as RequestInit);
  return { request, stream: request.stream };
}
