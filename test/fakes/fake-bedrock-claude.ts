/**
 * Claude on InvokeModel: the Anthropic Messages body as Bedrock takes it
 * (checked by Bedrock's rules, in Bedrock's words), and the Messages answer,
 * unary or as the `chunk` events of InvokeModelWithResponseStream.
 *
 * The rules beyond the body's schema, and their words, are Anthropic's as
 * Bedrock passes them on (extended thinking: docs.claude.com
 * build-with-claude/extended-thinking and the errors users report, e.g.
 * "Thinking may not be enabled when tool_choice forces tool use.";
 * prompt caching: "A maximum of 4 blocks with cache_control may be
 * provided"; the AWS page model-parameters-anthropic-claude-messages-
 * request-response for temperature with top_p on Claude Sonnet 4.5 and
 * Haiku 4.5; claude-messages-structured-outputs for `output_config`).
 */
import { type FakeFoundationModel, featuresOf } from "./fake-bedrock-catalog.js";
import { chunkFrame } from "./fake-bedrock-eventstream.js";
import { checkBreakpoints, validRedactedData, validSignature } from "./fake-bedrock-features.js";
import {
  type Answer,
  alternation,
  type BodyRule,
  chatFamily,
  invocationMetrics,
  isRecord,
  jsonFragments,
  onlyKeys,
  type RequestBody,
  type Turn,
  textPieces,
} from "./fake-bedrock-model-family.js";
import { malformed, validationError } from "./fake-bedrock-rest.js";

const KEYS = [
  "anthropic_version",
  "anthropic_beta",
  "max_tokens",
  "messages",
  "system",
  "stop_sequences",
  "temperature",
  "top_p",
  "top_k",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
  "metadata",
  "context_management",
];

/**
 * The `anthropic_beta` flags Bedrock's Claude knows (the user guide's
 * request parameters); any other is a 400. Kept apart from the server's
 * own table so that a flag the server should leave out fails here.
 */
const KNOWN_BETAS = new Set([
  "computer-use-2024-10-22",
  "computer-use-2025-01-24",
  "computer-use-2025-11-24",
  "token-efficient-tools-2025-02-19",
  "fine-grained-tool-streaming-2025-05-14",
  "interleaved-thinking-2025-05-14",
  "output-128k-2025-02-19",
  "dev-full-thinking-2025-05-14",
  "context-1m-2025-08-07",
  "context-management-2025-06-27",
  "effort-2025-11-24",
  "tool-search-tool-2025-10-19",
  "tool-examples-2025-10-29",
  "compact-2026-01-12",
]);

const betaFlags: BodyRule = (body) => {
  if (body.anthropic_beta === undefined) return;
  if (!Array.isArray(body.anthropic_beta)) malformed("#/anthropic_beta: expected type: JSONArray");
  for (const flag of body.anthropic_beta) {
    if (typeof flag !== "string" || !KNOWN_BETAS.has(flag)) throw validationError("invalid beta flag");
  }
};

// Context management is a beta: without its flag the key is unknown.
const contextManagement: BodyRule = (body) => {
  if (body.context_management === undefined) return;
  const flags = Array.isArray(body.anthropic_beta) ? body.anthropic_beta : [];
  if (!flags.includes("context-management-2025-06-27")) {
    malformed("#: extraneous key [context_management] is not permitted");
  }
};

type Block = Record<string, unknown>;
type ClaudeTurn = { role: string; content: unknown };

const blocksOf = (turn: ClaudeTurn): Block[] =>
  typeof turn.content === "string" ? [{ type: "text", text: turn.content }] : ((turn.content as Block[]) ?? []);

const anthropicVersion: BodyRule = (body) => {
  if (body.anthropic_version !== "bedrock-2023-05-31") malformed("#: required key [anthropic_version] not found");
};

const maxTokens: BodyRule = (body) => {
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
    malformed("#: required key [max_tokens] not found");
  }
};

const messagesList: BodyRule = (body) => {
  if (!Array.isArray(body.messages)) malformed("#: required key [messages] not found");
};

const turnOrder = alternation({
  empty: "messages: at least one message is required",
  firstNotUser: 'messages: first message must use the "user" role',
  repeated: (role) =>
    `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`,
});

const nonEmptyContent: BodyRule = (body) => {
  const turns = body.messages as ClaudeTurn[];
  turns.forEach((turn, index) => {
    const empty =
      turn.content === "" ||
      (Array.isArray(turn.content) && turn.content.length === 0) ||
      (Array.isArray(turn.content) &&
        (turn.content as Record<string, unknown>[]).some((block) => block.type === "text" && block.text === ""));
    if (empty && !(index === turns.length - 1 && turn.role === "assistant")) {
      throw validationError(
        `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
  });
};

const samplingRange: BodyRule = (body) => {
  for (const key of ["temperature", "top_p"]) {
    const value = body[key];
    if (value !== undefined && (typeof value !== "number" || value < 0 || value > 1)) {
      malformed(`#/${key}: ${value} is not less or equal to 1`);
    }
  }
};

// Claude Sonnet 4.5 and Haiku 4.5 take one of the two.
const temperatureOrTopP: BodyRule = (body, model) => {
  if (featuresOf(model).temperatureOrTopP && body.temperature !== undefined && body.top_p !== undefined) {
    throw validationError("`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
  }
};

// Bedrock's Claude takes fewer tool_choice types than Anthropic's API (no `none`).
const toolChoiceType: BodyRule = (body) => {
  const choice = body.tool_choice as { type?: unknown } | undefined;
  if (choice !== undefined && !["auto", "any", "tool"].includes(String(choice.type))) {
    throw validationError(
      `tool_choice: Input tag '${String(choice.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool'`,
    );
  }
};

// Bedrock's Anthropic schema takes only user_id in metadata.
const metadataKeys: BodyRule = (body) => {
  if (!isRecord(body.metadata)) return;
  for (const key of Object.keys(body.metadata)) {
    if (key !== "user_id") throw validationError(`metadata.${key}: Extra inputs are not permitted`);
  }
};

const thinkingOn = (body: RequestBody) => isRecord(body.thinking) && body.thinking.type === "enabled";

const thinkingRules: BodyRule = (body, model) => {
  if (body.thinking === undefined) return;
  if (!featuresOf(model).thinking) malformed("#: extraneous key [thinking] is not permitted");
  if (!thinkingOn(body)) return;
  const budget = (body.thinking as { budget_tokens?: unknown }).budget_tokens;
  if (typeof budget !== "number" || budget < 1024) {
    throw validationError("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
  }
  if ((body.max_tokens as number) <= budget) {
    throw validationError(
      "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size",
    );
  }
  if (body.temperature !== undefined && body.temperature !== 1) {
    throw validationError(
      "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking",
    );
  }
  if (typeof body.top_p === "number" && body.top_p < 0.95) {
    throw validationError("`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.");
  }
  if (body.top_k !== undefined) throw validationError("`top_k` must be unset when thinking is enabled.");
  const choice = (body.tool_choice as { type?: string } | undefined)?.type;
  if (choice === "any" || choice === "tool") {
    throw validationError("Thinking may not be enabled when tool_choice forces tool use.");
  }
};

/**
 * With thinking on, the assistant turn before the last tool results must
 * start with the thinking blocks Claude gave (signed by it, unchanged).
 */
const thinkingHistory: BodyRule = (body) => {
  const turns = body.messages as ClaudeTurn[];
  turns.forEach((turn, index) => {
    blocksOf(turn).forEach((block, position) => {
      if (block.type === "thinking" && !validSignature(String(block.thinking), block.signature)) {
        throw validationError(`messages.${index}.content.${position}: Invalid \`signature\` in \`thinking\` block`);
      }
      if (block.type === "redacted_thinking" && !validRedactedData(block.data)) {
        throw validationError(`messages.${index}.content.${position}: Invalid \`data\` in \`redacted_thinking\` block`);
      }
    });
  });
  if (!thinkingOn(body)) return;
  const last = turns.at(-1);
  if (last?.role !== "user" || !blocksOf(last).some((block) => block.type === "tool_result")) return;
  const index = turns.length - 2;
  const first = blocksOf(turns[index] ?? { role: "assistant", content: [] })[0];
  if (first?.type !== "thinking" && first?.type !== "redacted_thinking") {
    throw validationError(
      `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first?.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`,
    );
  }
};

/** Every cache_control in the order Claude reads the prompt: tools, system, messages. */
function cacheMarks(body: RequestBody): { ttl: unknown; at: number }[] {
  const marked = (blocks: unknown) =>
    (Array.isArray(blocks) ? (blocks as Block[]) : []).flatMap((block) =>
      isRecord(block.cache_control) ? [block.cache_control] : [],
    );
  const system = Array.isArray(body.system) ? body.system : [];
  const messages = (body.messages as ClaudeTurn[]).map(blocksOf);
  return [marked(body.tools), marked(system), ...messages.map(marked)]
    .flat()
    .map((mark, at) => ({ ttl: mark.ttl, at }));
}

const promptCache: BodyRule = (body, model) => {
  const marks = cacheMarks(body);
  if (marks.length === 0) return;
  const longest = featuresOf(model).cache;
  if (!longest) throw validationError("cache_control: this model does not support prompt caching");
  if (longest === "5m" && marks.some((mark) => mark.ttl === "1h")) {
    throw validationError("cache_control.ttl: the 1h TTL is not supported for this model");
  }
  checkBreakpoints(
    marks.map((mark) => mark.ttl),
    {
      tooMany: (found) => `A maximum of 4 blocks with cache_control may be provided. Found ${found}.`,
      order:
        "A cache_control block with ttl='1h' must not come after a cache_control block with ttl='5m' (tools, then system, then messages).",
    },
  );
};

const outputConfig: BodyRule = (body, model) => {
  if (body.output_config === undefined) return;
  if (!featuresOf(model).structuredOutput) throw validationError("output_config: Extra inputs are not permitted");
  const format = (body.output_config as { format?: { type?: unknown; schema?: unknown } }).format;
  if (format?.type !== "json_schema" || !isRecord(format.schema)) {
    throw validationError("output_config.format: a json_schema format with a schema object is required");
  }
};

const DOCUMENT_SOURCES: Record<string, string> = { base64: "application/pdf", text: "text/plain" };

const documents: BodyRule = (body) => {
  (body.messages as ClaudeTurn[]).forEach((turn, index) => {
    blocksOf(turn).forEach((block, position) => {
      if (block.type !== "document") return;
      const source = (isRecord(block.source) ? block.source : {}) as {
        type?: string;
        media_type?: string;
        data?: unknown;
      };
      const expected = Object.hasOwn(DOCUMENT_SOURCES, String(source.type))
        ? DOCUMENT_SOURCES[String(source.type)]
        : "";
      if (expected !== source.media_type || typeof source.data !== "string") {
        throw validationError(
          `messages.${index}.content.${position}.source: Input tag '${String(source.type)}' with media_type '${String(source.media_type)}' does not match the expected sources: base64 application/pdf, text text/plain`,
        );
      }
    });
  });
};

function claudeTurns(body: Record<string, unknown>): Turn[] {
  return (body.messages as ClaudeTurn[]).map((turn) => {
    const result: Turn = { role: turn.role, texts: [], images: [], toolResults: [], toolUses: 0 };
    for (const block of blocksOf(turn)) {
      if (block.type === "text") result.texts.push(String(block.text));
      if (block.type === "image") {
        const source = block.source as { media_type: string; data: string };
        result.images.push(`${source.media_type}, ${Buffer.from(source.data, "base64").length} bytes`);
      }
      if (block.type === "document") {
        const source = block.source as { type: string; data: string };
        const size =
          source.type === "text" ? Buffer.byteLength(source.data) : Buffer.from(source.data, "base64").length;
        result.images.push(`document ${String(block.title ?? "")}, ${size} bytes`);
      }
      if (block.type === "tool_use") result.toolUses += 1;
      if (block.type === "tool_result") {
        const content = block.content;
        result.toolResults.push(
          typeof content === "string"
            ? content
            : ((content as { text?: string }[] | undefined) ?? []).map((part) => part.text ?? "").join(""),
        );
      }
    }
    return result;
  });
}

/** The prompt up to the last cache_control, as the cache knows prefixes. */
function cachePrefix(body: RequestBody): string | undefined {
  const parts: unknown[] = [];
  let prefix: string | undefined;
  const walk = (blocks: unknown, section: string) => {
    for (const block of Array.isArray(blocks) ? (blocks as Block[]) : []) {
      const { cache_control: control, ...content } = block;
      parts.push([section, content]);
      if (isRecord(control)) prefix = JSON.stringify(parts);
    }
  };
  walk(body.tools, "tools");
  walk(Array.isArray(body.system) ? body.system : [{ type: "text", text: body.system }], "system");
  for (const turn of body.messages as ClaudeTurn[]) walk(blocksOf(turn), turn.role);
  return prefix;
}

function usage(answer: Answer) {
  return {
    input_tokens: answer.inputTokens,
    output_tokens: answer.outputTokens,
    ...(answer.cache === undefined
      ? {}
      : { cache_read_input_tokens: answer.cache.read, cache_creation_input_tokens: answer.cache.write }),
  };
}

/** What Bedrock adds to the answer when a guardrail is on. */
function guardrailFields(answer: Answer) {
  if (!answer.guardrail) return {};
  return {
    "amazon-bedrock-guardrailAction": answer.guardrail.intervened ? "INTERVENED" : "NONE",
    ...(answer.guardrail.trace === undefined ? {} : { "amazon-bedrock-trace": { guardrail: answer.guardrail.trace } }),
  };
}

function reasoningBlocks(answer: Answer): Block[] {
  return [
    ...(answer.reasoning
      ? [{ type: "thinking", thinking: answer.reasoning.text, signature: answer.reasoning.signature }]
      : []),
    ...answer.redacted.map((data) => ({ type: "redacted_thinking", data })),
  ];
}

function message(answer: Answer) {
  return {
    id: `msg_bdrk_fake${answer.sequence}`,
    type: "message",
    role: "assistant",
    model: "claude-3-5-sonnet-20240620",
    content: [
      ...reasoningBlocks(answer),
      ...(answer.text === null ? [] : [{ type: "text", text: answer.text }]),
      ...answer.toolUses.map((use) => ({ type: "tool_use", id: use.id, name: use.name, input: use.input })),
    ],
    stop_reason: answer.stopReason,
    stop_sequence: null,
    usage: usage(answer),
    ...guardrailFields(answer),
  };
}

function frames(answer: Answer): Uint8Array[] {
  const shell = {
    ...message(answer),
    content: [],
    stop_reason: null,
    usage: { ...usage(answer), output_tokens: 1 },
    "amazon-bedrock-guardrailAction": undefined,
    "amazon-bedrock-trace": undefined,
  };
  const events: unknown[] = [{ type: "message_start", message: shell }];
  let index = 0;
  if (answer.reasoning) {
    events.push({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "" } });
    for (const piece of textPieces(answer.reasoning.text)) {
      events.push({ type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: piece } });
    }
    events.push({
      type: "content_block_delta",
      index,
      delta: { type: "signature_delta", signature: answer.reasoning.signature },
    });
    events.push({ type: "content_block_stop", index });
    index += 1;
  }
  for (const data of answer.redacted) {
    events.push({ type: "content_block_start", index, content_block: { type: "redacted_thinking", data } });
    events.push({ type: "content_block_stop", index });
    index += 1;
  }
  if (answer.text !== null) {
    events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const piece of textPieces(answer.text)) {
      events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    }
    events.push({ type: "content_block_stop", index });
    index += 1;
  }
  for (const use of answer.toolUses) {
    events.push({
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: use.id, name: use.name, input: {} },
    });
    events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "" } });
    for (const fragment of jsonFragments(use.input)) {
      events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: fragment } });
    }
    events.push({ type: "content_block_stop", index });
    index += 1;
  }
  events.push({
    type: "message_delta",
    delta: { stop_reason: answer.stopReason, stop_sequence: null },
    usage: { output_tokens: answer.outputTokens },
  });
  events.push({
    type: "message_stop",
    ...invocationMetrics(answer, { invocation: 1181, firstByte: 366 }),
    ...guardrailFields(answer),
  });
  return events.map(chunkFrame);
}

/** The tool `tool_choice` forces, by name, with its schema. */
function forcedTool(body: RequestBody) {
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  if (choice?.type !== "tool") return undefined;
  const tool = (body.tools as { name: string; input_schema: unknown }[] | undefined)?.find(
    (candidate) => candidate.name === choice.name,
  );
  return tool ? { name: tool.name, schema: tool.input_schema } : undefined;
}

export const claudeFamily = chatFamily({
  name: "Claude on InvokeModel",
  handles: (operation, model: FakeFoundationModel) =>
    operation.startsWith("invoke") && model.modelId.startsWith("anthropic.claude"),
  rules: [
    onlyKeys(KEYS),
    anthropicVersion,
    betaFlags,
    contextManagement,
    maxTokens,
    messagesList,
    turnOrder,
    nonEmptyContent,
    samplingRange,
    temperatureOrTopP,
    toolChoiceType,
    metadataKeys,
    thinkingRules,
    thinkingHistory,
    promptCache,
    outputConfig,
    documents,
  ],
  turns: claudeTurns,
  stopReason: (toolUses) => (toolUses > 0 ? "tool_use" : "end_turn"),
  toolUseId: (sequence, index) => `toolu_bdrk_fake${sequence}x${index}`,
  message,
  frames,
  reasoning: (body) => (thinkingOn(body) ? "signed" : undefined),
  forcedTool,
  outputSchema: (body) => (body.output_config as { format?: { schema?: unknown } } | undefined)?.format?.schema,
  cachePrefix,
  // Bedrock ends a blocked Claude answer as a normal turn, the guardrail's verdict beside it.
  guardrailStopReason: "end_turn",
});
