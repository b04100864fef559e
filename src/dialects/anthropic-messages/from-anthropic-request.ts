import { otherFields } from "../../core/extension-fields.js";
import type { IncomingRequest } from "../dialect.js";
import { type BedrockQuery, bedrockModel, bedrockStream } from "../shared/bedrock-query.js";
import { missing, numberIn, requiredArray, stopSequences, unsupported } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";
import { type RequestTable, readByTable } from "../shared/request-table.js";
import { fromAnthropicMessages, fromAnthropicSystem } from "./from-anthropic-messages.js";
import { type AnthropicToolSelection, fromAnthropicTools } from "./from-anthropic-tools.js";

interface AnthropicBodyInput {
  body: JsonFields;
  query: BedrockQuery;
  tools: AnthropicToolSelection;
}

/** The body keys the table maps; the others (`thinking`, `anthropic_beta`, ...) travel as they are in `extensions`. */
const MAPPED_KEYS = new Set([
  "anthropic_version",
  "model",
  "messages",
  "system",
  "max_tokens",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "tools",
  "tool_choice",
  "metadata",
  "stream",
]);

/**
 * The canonical request's fields, each read from the body (and the query,
 * for the model). Claude's own fields beyond these (`thinking`,
 * `anthropic_beta` ...) go into the request's `extensions` as they are:
 * Claude models get them back, other models judge them.
 */
const PARAMETERS: RequestTable<AnthropicBodyInput> = {
  model: ({ body, query }) => bedrockModel(body, query, "Bedrock Claude"),
  messages: ({ body }) => [...fromAnthropicSystem(body), ...fromAnthropicMessages(requiredArray(body, "messages"))],
  maxTokens: ({ body }) => {
    const max = numberIn(body, "max_tokens", 1, Number.MAX_SAFE_INTEGER, true);
    if (max === undefined) throw missing("max_tokens", ": Claude bodies say how many tokens to generate at most");
    return max;
  },
  temperature: ({ body }) => numberIn(body, "temperature", 0, 1),
  topP: ({ body }) => numberIn(body, "top_p", 0, 1),
  topK: ({ body }) => numberIn(body, "top_k", 1, Number.MAX_SAFE_INTEGER, true),
  stop: ({ body }) => stopSequences(body, "stop_sequences"),
  tools: ({ tools }) => tools.tools,
  toolChoice: ({ tools }) => tools.toolChoice,
  parallelToolCalls: ({ tools }) => tools.parallelToolCalls,
  user: ({ body }) => userId(body),
  stream: ({ body, query }) => bedrockStream(body, query),
  extensions: ({ body }) => otherFields(body.object, MAPPED_KEYS),
};

/** Claude's `metadata` holds only `user_id` (Bedrock refuses any other key). */
function userId(body: JsonFields): string | undefined {
  const metadata = body.nested("metadata");
  for (const key of Object.keys(metadata?.object ?? {})) {
    if (key !== "user_id") throw unsupported(metadata?.param(key) ?? key, "Claude's metadata holds only user_id");
  }
  return metadata?.string("user_id");
}

/**
 * Reads an Anthropic Messages body as Bedrock takes it for Claude (with
 * `anthropic_version`; the model and streaming may come from the query),
 * or as Anthropic's API takes it (`bedrockBody: false`: no version),
 * into the canonical request. Wrong fields are refused with their path in
 * OpenAI's notation (`messages.[0].content.[1].source.data`).
 */
export function fromAnthropicRequest(
  value: unknown,
  query: BedrockQuery = {},
  { bedrockBody = true }: { bedrockBody?: boolean } = {},
): IncomingRequest {
  const body = JsonFields.of(value, "");
  // Anthropic's own API has the version in a header; a Bedrock body carries it.
  if (bedrockBody) body.requiredString("anthropic_version");
  const input: AnthropicBodyInput = { body, query, tools: fromAnthropicTools(body) };
  return readByTable(PARAMETERS, input);
}
