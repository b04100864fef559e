/**
 * Claude on InvokeModel: the Anthropic Messages body as Bedrock takes it
 * (checked by Bedrock's rules, in Bedrock's words), and the Messages answer,
 * unary or as the `chunk` events of InvokeModelWithResponseStream.
 */
import { chunkFrame } from "./fake-bedrock-eventstream.js";
import {
  type Answer,
  alternation,
  type BodyRule,
  chatFamily,
  invocationMetrics,
  jsonFragments,
  onlyKeys,
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
  "metadata",
];

type ClaudeTurn = { role: string; content: unknown };

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

// Bedrock's Claude takes fewer tool_choice types than Anthropic's API (no `none`).
const toolChoiceType: BodyRule = (body) => {
  const choice = body.tool_choice as { type?: unknown } | undefined;
  if (choice !== undefined && !["auto", "any", "tool"].includes(String(choice.type))) {
    throw validationError(
      `tool_choice: Input tag '${String(choice.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool'`,
    );
  }
};

function claudeTurns(body: Record<string, unknown>): Turn[] {
  return (body.messages as ClaudeTurn[]).map(({ role, content }) => {
    const blocks =
      typeof content === "string" ? [{ type: "text", text: content }] : (content as Record<string, unknown>[]);
    const turn: Turn = { role, texts: [], images: [], toolResults: [], toolUses: 0 };
    for (const block of blocks) {
      if (block.type === "text") turn.texts.push(String(block.text));
      if (block.type === "image") {
        const source = block.source as { media_type: string; data: string };
        turn.images.push(`${source.media_type}, ${Buffer.from(source.data, "base64").length} bytes`);
      }
      if (block.type === "tool_use") turn.toolUses += 1;
      if (block.type === "tool_result") {
        const result = block.content;
        turn.toolResults.push(
          typeof result === "string"
            ? result
            : ((result as { text?: string }[] | undefined) ?? []).map((part) => part.text ?? "").join(""),
        );
      }
    }
    return turn;
  });
}

function usage(answer: Answer) {
  return {
    input_tokens: answer.inputTokens,
    output_tokens: answer.outputTokens,
    ...(answer.cacheReadTokens === undefined
      ? {}
      : { cache_read_input_tokens: answer.cacheReadTokens, cache_creation_input_tokens: 0 }),
  };
}

function message(answer: Answer) {
  return {
    id: `msg_bdrk_fake${answer.sequence}`,
    type: "message",
    role: "assistant",
    model: "claude-3-5-sonnet-20240620",
    content: [
      ...(answer.text === null ? [] : [{ type: "text", text: answer.text }]),
      ...answer.toolUses.map((use) => ({ type: "tool_use", id: use.id, name: use.name, input: use.input })),
    ],
    stop_reason: answer.stopReason,
    stop_sequence: null,
    usage: usage(answer),
  };
}

function frames(answer: Answer): Uint8Array[] {
  const shell = { ...message(answer), content: [], stop_reason: null, usage: { ...usage(answer), output_tokens: 1 } };
  const events: unknown[] = [{ type: "message_start", message: shell }];
  let index = 0;
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
  events.push({ type: "message_stop", ...invocationMetrics(answer, { invocation: 1181, firstByte: 366 }) });
  return events.map(chunkFrame);
}

export const claudeFamily = chatFamily({
  name: "Claude on InvokeModel",
  handles: (operation, model) => operation.startsWith("invoke") && model.modelId.startsWith("anthropic.claude"),
  rules: [
    onlyKeys(KEYS),
    anthropicVersion,
    maxTokens,
    messagesList,
    turnOrder,
    nonEmptyContent,
    samplingRange,
    toolChoiceType,
  ],
  turns: claudeTurns,
  stopReason: (toolUses) => (toolUses > 0 ? "tool_use" : "end_turn"),
  toolUseId: (sequence, index) => `toolu_bdrk_fake${sequence}x${index}`,
  message,
  frames,
});
