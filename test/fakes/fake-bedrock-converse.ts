/**
 * The Converse API, for every model (Bedrock maps it onto each model's own
 * body): the request as Bedrock checks it, in Bedrock's words, and the
 * Converse answer, unary or as ConverseStream's typed events.
 */
import { eventFrame } from "./fake-bedrock-eventstream.js";
import {
  type Answer,
  alternation,
  type BodyRule,
  chatFamily,
  isRecord,
  jsonFragments,
  type Turn,
  textPieces,
} from "./fake-bedrock-model-family.js";
import { validationError } from "./fake-bedrock-rest.js";

type ConverseMessage = { role: string; content: Record<string, unknown>[] };

const messagesList: BodyRule = (body) => {
  if (!Array.isArray(body.messages)) throw validationError("The messages field is required.");
};

const turnOrder = alternation({
  empty: "The messages field must not be empty.",
  firstNotUser:
    "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
  repeated: () =>
    "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.",
});

const contentBlocks: BodyRule = (body) => {
  (body.messages as ConverseMessage[]).forEach((message, index) => {
    if (!Array.isArray(message.content) || message.content.length === 0) {
      throw validationError(`The content field in the Message object at messages.${index} is empty.`);
    }
    message.content.forEach((block, blockIndex) => {
      if (typeof block.text === "string" && block.text.trim() === "") {
        throw validationError(
          `The text field in the ContentBlock object at messages.${index}.content.${blockIndex} is blank. Add text to the text field, and try again.`,
        );
      }
      if (block.image && message.role !== "user") throw validationError("Images are only supported in user messages.");
    });
  });
};

const toolConfigForToolBlocks: BodyRule = (body) => {
  const toolBlocks = (body.messages as ConverseMessage[]).some((message) =>
    message.content.some((block) => block.toolUse || block.toolResult),
  );
  if (toolBlocks && !body.toolConfig) {
    throw validationError("The toolConfig field must be defined when using toolUse and toolResult content blocks.");
  }
};

const systemText: BodyRule = (body) => {
  const system = (body.system as { text?: string }[] | undefined) ?? [];
  if (system.some((block) => block.text !== undefined && block.text.trim() === "")) {
    throw validationError("The text field in the SystemContentBlock object is blank.");
  }
};

const samplingRange: BodyRule = (body) => {
  const config = body.inferenceConfig as Record<string, number> | undefined;
  for (const key of ["temperature", "topP"]) {
    const value = config?.[key];
    if (value !== undefined && (value < 0 || value > 1)) {
      throw validationError(
        `1 validation error detected: Value '${value}' at 'inferenceConfig.${key}' failed to satisfy constraint: Member must have value less than or equal to 1`,
      );
    }
  }
};

function converseTurns(body: Record<string, unknown>): Turn[] {
  return (body.messages as ConverseMessage[]).map(({ role, content }) => {
    const turn: Turn = { role, texts: [], images: [], toolResults: [], toolUses: 0 };
    for (const block of content) {
      if (typeof block.text === "string") turn.texts.push(block.text);
      if (isRecord(block.image)) {
        const image = block.image as { format: string; source: { bytes: string } };
        turn.images.push(`image/${image.format}, ${Buffer.from(image.source.bytes, "base64").length} bytes`);
      }
      if (block.toolUse) turn.toolUses += 1;
      if (isRecord(block.toolResult)) {
        const parts = (block.toolResult.content as Record<string, unknown>[]) ?? [];
        turn.toolResults.push(
          parts.map((part) => (typeof part.text === "string" ? part.text : JSON.stringify(part.json))).join(""),
        );
      }
    }
    return turn;
  });
}

function usage(answer: Answer) {
  const cache = answer.cacheReadTokens ?? 0;
  return {
    inputTokens: answer.inputTokens,
    outputTokens: answer.outputTokens,
    totalTokens: answer.inputTokens + cache + answer.outputTokens,
    ...(answer.cacheReadTokens === undefined ? {} : { cacheReadInputTokens: cache, cacheWriteInputTokens: 0 }),
  };
}

function response(answer: Answer) {
  return {
    output: {
      message: {
        role: "assistant",
        content: [
          ...(answer.text === null ? [] : [{ text: answer.text }]),
          ...answer.toolUses.map((use) => ({ toolUse: { toolUseId: use.id, name: use.name, input: use.input } })),
        ],
      },
    },
    stopReason: answer.stopReason,
    usage: usage(answer),
    metrics: { latencyMs: 926 },
  };
}

function frames(answer: Answer): Uint8Array[] {
  const events = [eventFrame("messageStart", { role: "assistant" })];
  let index = 0;
  if (answer.text !== null) {
    for (const piece of textPieces(answer.text)) {
      events.push(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { text: piece } }));
    }
    events.push(eventFrame("contentBlockStop", { contentBlockIndex: index }));
    index += 1;
  }
  for (const use of answer.toolUses) {
    events.push(
      eventFrame("contentBlockStart", {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: use.id, name: use.name } },
      }),
    );
    events.push(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: "" } } }));
    for (const fragment of jsonFragments(use.input)) {
      events.push(
        eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: fragment } } }),
      );
    }
    events.push(eventFrame("contentBlockStop", { contentBlockIndex: index }));
    index += 1;
  }
  events.push(eventFrame("messageStop", { stopReason: answer.stopReason }));
  events.push(eventFrame("metadata", { usage: usage(answer), metrics: { latencyMs: 1957 } }));
  return events;
}

export const converseFamily = chatFamily({
  name: "Converse",
  handles: (operation) => operation.startsWith("converse"),
  rules: [messagesList, turnOrder, contentBlocks, toolConfigForToolBlocks, systemText, samplingRange],
  turns: converseTurns,
  stopReason: (toolUses) => (toolUses > 0 ? "tool_use" : "end_turn"),
  toolUseId: (sequence, index) => `tooluse_fake${sequence}x${index}`,
  message: response,
  frames,
});
