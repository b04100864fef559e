import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { ChatCompletionRequestSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { type BedrockQuery, bedrockModel, bedrockStream, type ForeignRequest } from "../shared/bedrock-query.js";
import { missing, numberIn, requiredArray, stopSequences, unsupported } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";
import { fromClaudeMessages, fromClaudeSystem } from "./from-anthropic-messages.js";
import { type ClaudeToolSelection, fromClaudeTools } from "./from-anthropic-tools.js";

type RequestInit = MessageInitShape<typeof ChatCompletionRequestSchema>;

interface ClaudeBodyInput {
  body: JsonFields;
  query: BedrockQuery;
  tools: ClaudeToolSelection;
}

/**
 * The canonical request's fields, each read from the Claude body (and the
 * query, for the model). A reader that answers undefined leaves its field
 * unset. What the body has beyond these is ignored: `anthropic_beta`,
 * `cache_control`, `citations`, other `metadata`, and unknown keys.
 */
const PARAMETERS: { [Name in keyof RequestInit]?: (input: ClaudeBodyInput) => RequestInit[Name] | undefined } = {
  model: ({ body, query }) => bedrockModel(body, query, "Bedrock Claude"),
  messages: ({ body }) => [...fromClaudeSystem(body), ...fromClaudeMessages(requiredArray(body, "messages"))],
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
  user: ({ body }) => body.nested("metadata")?.string("user_id"),
  stream: ({ body, query }) => bedrockStream(body, query),
};

/** Fields of the Claude body that would change the answer in ways no canonical request can ask for. */
function refuseUnsupported(body: JsonFields): void {
  const thinking = body.nested("thinking");
  if (thinking && thinking.string("type") !== "disabled") {
    throw unsupported("thinking", "extended thinking is not offered through this API");
  }
}

/**
 * Reads a Bedrock Claude body (the Anthropic Messages InvokeModel body) into
 * the canonical request. Wrong fields are refused with their path in OpenAI's
 * notation (`messages.[0].content.[1].source.data`).
 */
export function fromClaudeRequest(value: unknown, query: BedrockQuery = {}): ForeignRequest {
  const body = JsonFields.of(value, "");
  body.requiredString("anthropic_version");
  refuseUnsupported(body);
  const input: ClaudeBodyInput = { body, query, tools: fromClaudeTools(body) };
  const init: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(PARAMETERS)) {
    const field = (read as (input: ClaudeBodyInput) => unknown)(input);
    if (field !== undefined) init[name] = field;
  }
  const request = create(ChatCompletionRequestSchema, init as RequestInit);
  return { request, stream: request.stream };
}
