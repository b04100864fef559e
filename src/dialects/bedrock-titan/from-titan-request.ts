import type { IncomingRequest } from "../dialect.js";
import { type BedrockQuery, bedrockModel, bedrockStream } from "../shared/bedrock-query.js";
import { nonEmptyString, numberIn, stopSequences } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";
import { type RequestTable, readByTable } from "../shared/request-table.js";
import { readTitanTranscript } from "./read-titan-transcript.js";

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
const PARAMETERS: RequestTable<TitanBodyInput> = {
  model: ({ body, query }) => bedrockModel(body, query, "Titan text"),
  messages: ({ body }) => readTitanTranscript(nonEmptyString(body, "inputText")),
  maxTokens: ({ config }) => config && numberIn(config, "maxTokenCount", 1, Number.MAX_SAFE_INTEGER, true),
  temperature: ({ config }) => config && numberIn(config, "temperature", 0, 1),
  topP: ({ config }) => config && numberIn(config, "topP", 0, 1),
  stop: ({ config }) => config && stopSequences(config, "stopSequences"),
  stream: ({ body, query }) => bedrockStream(body, query),
};

/** Reads a Titan text body (`inputText`, `textGenerationConfig`) into the canonical request. */
export function fromTitanRequest(value: unknown, query: BedrockQuery = {}): IncomingRequest {
  const body = JsonFields.of(value, "");
  const input: TitanBodyInput = { body, config: body.nested("textGenerationConfig"), query };
  return readByTable(PARAMETERS, input);
}
