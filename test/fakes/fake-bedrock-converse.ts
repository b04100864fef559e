/**
 * The Converse API, for every model (Bedrock maps it onto each model's own
 * body): the request as Bedrock checks it, in Bedrock's words, and the
 * Converse answer, unary or as ConverseStream's typed events.
 *
 * Sources beyond the API model (botocore / the AWS SDK's
 * bedrock-runtime 2023-09-30): "This model doesn't support the X field.
 * Remove X and try again." is how Bedrock refuses a field the model lacks;
 * documents: "Messages can't contain duplicate document names.", "You can't
 * include more than 5 documents in a request.", names of letters, digits,
 * single spaces, hyphens, parentheses and brackets (DocumentBlock.name);
 * request metadata `[a-zA-Z0-9\s:_@$#=/+,-.]{0,256}` (users' reports of
 * Bedrock's own validation message); cache points: at most 4, TTLs not
 * increasing along tools, system, messages (CachePointBlock).
 */
import { type FakeFoundationModel, featuresOf } from "./fake-bedrock-catalog.js";
import { eventFrame } from "./fake-bedrock-eventstream.js";
import { checkBreakpoints, validRedactedData, validSignature } from "./fake-bedrock-features.js";
import {
  type Answer,
  alternation,
  type BodyRule,
  chatFamily,
  isRecord,
  jsonFragments,
  type RequestBody,
  type Turn,
  textPieces,
} from "./fake-bedrock-model-family.js";
import { malformed, validationError } from "./fake-bedrock-rest.js";

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

const unsupportedField = (field: string) =>
  validationError(`This model doesn't support the ${field} field. Remove ${field} and try again.`);

const toolUse: BodyRule = (body, model) => {
  if (!body.toolConfig) return;
  const tools = featuresOf(model).tools;
  if (!tools) throw validationError("This model doesn't support tool use.");
  const choice = (body.toolConfig as { toolChoice?: Record<string, unknown> }).toolChoice ?? {};
  for (const kind of ["any", "tool"]) {
    if (choice[kind] !== undefined && tools !== "any-and-tool") throw unsupportedField(`toolConfig.toolChoice.${kind}`);
  }
  for (const entry of (body.toolConfig as { tools: Record<string, unknown>[] }).tools) {
    if ((entry.toolSpec as { strict?: boolean } | undefined)?.strict && !featuresOf(model).structuredOutput) {
      throw unsupportedField("toolConfig.tools.toolSpec.strict");
    }
  }
};

const outputConfig: BodyRule = (body, model) => {
  if (body.outputConfig === undefined) return;
  if (!featuresOf(model).structuredOutput) throw unsupportedField("outputConfig");
  const format = (body.outputConfig as { textFormat?: { structure?: { jsonSchema?: { schema?: unknown } } } })
    .textFormat;
  const schema = format?.structure?.jsonSchema?.schema;
  try {
    if (typeof schema !== "string" || !isRecord(JSON.parse(schema))) throw new Error("not an object");
  } catch {
    throw validationError("The JSON schema in outputConfig.textFormat is not a valid JSON Schema object.");
  }
};

/** What additionalModelRequestFields may hold for the model: its top_k, and its reasoning switch. */
const additionalFields: BodyRule = (body, model) => {
  const fields = body.additionalModelRequestFields;
  if (!isRecord(fields)) return;
  const features = featuresOf(model);
  const topK = features.topK?.split(".")[0];
  for (const key of Object.keys(fields)) {
    const allowed =
      key === topK ||
      (key === "thinking" && features.thinking) ||
      (key === "reasoningConfig" && features.reasoningEffort);
    if (!allowed) malformed(`#: extraneous key [${key}] is not permitted`);
  }
  const thinking = fields.thinking as { type?: string; budget_tokens?: number } | undefined;
  if (thinking?.type === "enabled") {
    const budget = thinking.budget_tokens ?? 0;
    if (budget < 1024)
      throw validationError("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    const max = (body.inferenceConfig as { maxTokens?: number } | undefined)?.maxTokens;
    if (max === undefined || max <= budget) {
      throw validationError("`max_tokens` must be greater than `thinking.budget_tokens`.");
    }
  }
  const reasoning = fields.reasoningConfig as { type?: string; maxReasoningEffort?: string } | undefined;
  if (reasoning && !["low", "medium", "high"].includes(String(reasoning.maxReasoningEffort))) {
    throw validationError("reasoningConfig.maxReasoningEffort must be one of low, medium, high.");
  }
};

/** Cache points in the order the prompt is read: tools, system, messages. */
function cachePoints(body: RequestBody): Record<string, unknown>[] {
  const points = (blocks: unknown) =>
    (Array.isArray(blocks) ? (blocks as Record<string, unknown>[]) : []).flatMap((block) =>
      isRecord(block.cachePoint) ? [block.cachePoint] : [],
    );
  const messages = (body.messages as ConverseMessage[]).map((message) => points(message.content));
  return [points((body.toolConfig as { tools?: unknown } | undefined)?.tools), points(body.system), ...messages].flat();
}

const promptCache: BodyRule = (body, model) => {
  const points = cachePoints(body);
  if (points.length === 0) return;
  const longest = featuresOf(model).cache;
  if (!longest) throw unsupportedField("cachePoint");
  if (longest === "5m" && points.some((point) => point.ttl === "1h")) throw unsupportedField("cachePoint.ttl");
  checkBreakpoints(
    points.map((point) => point.ttl),
    {
      tooMany: (found) => `The number of cache points (${found}) exceeds the maximum of 4 per request.`,
      order: "Cache point TTLs must not increase along toolConfig, system and messages.",
    },
  );
};

const DOCUMENT_NAME = /^(?:[A-Za-z0-9\-()[\]]|\s(?!\s))+$/;

const documents: BodyRule = (body) => {
  const names = new Set<string>();
  (body.messages as ConverseMessage[]).forEach((message, index) => {
    message.content.forEach((block, position) => {
      if (!isRecord(block.document)) return;
      const name = String(block.document.name ?? "");
      if (!DOCUMENT_NAME.test(name)) {
        throw validationError(
          `The name field in the DocumentBlock object at messages.${index}.content.${position} is invalid. Use only alphanumeric characters, single whitespace characters, hyphens, parentheses and square brackets.`,
        );
      }
      if (names.has(name)) throw validationError("Messages can't contain duplicate document names.");
      names.add(name);
    });
  });
  if (names.size > 5) throw validationError("You can't include more than 5 documents in a request.");
};

const METADATA_TEXT = /^[a-zA-Z0-9\s:_@$#=/+,\-.]{0,256}$/;

const requestMetadata: BodyRule = (body) => {
  if (!isRecord(body.requestMetadata)) return;
  for (const [key, value] of Object.entries(body.requestMetadata)) {
    if (!METADATA_TEXT.test(key) || !METADATA_TEXT.test(String(value))) {
      throw validationError(
        "1 validation error detected: Value at 'requestMetadata' failed to satisfy constraint: Map value must satisfy regular expression pattern: [a-zA-Z0-9\\s:_@$#=/+,-.]{0,256}",
      );
    }
  }
};

/** Reasoning blocks sent back must be the model's own (signed, or redacted by it). */
const reasoningHistory: BodyRule = (body) => {
  (body.messages as ConverseMessage[]).forEach((message, index) => {
    message.content.forEach((block, position) => {
      if (!isRecord(block.reasoningContent)) return;
      const { reasoningText, redactedContent } = block.reasoningContent as {
        reasoningText?: { text?: string; signature?: string };
        redactedContent?: string;
      };
      const valid = reasoningText
        ? reasoningText.signature === undefined || validSignature(String(reasoningText.text), reasoningText.signature)
        : validRedactedData(redactedContent);
      if (!valid) {
        throw validationError(
          `The reasoningContent in messages.${index}.content.${position} was not produced by this model.`,
        );
      }
    });
  });
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
      if (isRecord(block.document)) {
        const document = block.document as { name: string; format: string; source: { bytes: string } };
        turn.images.push(
          `document ${document.name} (${document.format}), ${Buffer.from(document.source.bytes, "base64").length} bytes`,
        );
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
  const cache = answer.cache;
  const cached = cache ? cache.read + cache.write : 0;
  return {
    inputTokens: answer.inputTokens,
    outputTokens: answer.outputTokens,
    totalTokens: answer.inputTokens + cached + answer.outputTokens,
    ...(cache === undefined ? {} : { cacheReadInputTokens: cache.read, cacheWriteInputTokens: cache.write }),
  };
}

/** The answer fields that come after the message: the tier that served it, a guardrail's trace. */
function answerFields(answer: Answer) {
  return {
    ...(answer.guardrail?.trace === undefined ? {} : { trace: { guardrail: answer.guardrail.trace } }),
    ...(answer.serviceTier ? { serviceTier: { type: answer.serviceTier } } : {}),
  };
}

function reasoningBlocks(answer: Answer) {
  return [
    ...(answer.reasoning
      ? [
          {
            reasoningContent: {
              reasoningText: {
                text: answer.reasoning.text,
                ...(answer.reasoning.signature ? { signature: answer.reasoning.signature } : {}),
              },
            },
          },
        ]
      : []),
    ...answer.redacted.map((data) => ({ reasoningContent: { redactedContent: data } })),
  ];
}

function response(answer: Answer) {
  return {
    output: {
      message: {
        role: "assistant",
        content: [
          ...reasoningBlocks(answer),
          ...(answer.text === null ? [] : [{ text: answer.text }]),
          ...answer.toolUses.map((use) => ({ toolUse: { toolUseId: use.id, name: use.name, input: use.input } })),
        ],
      },
    },
    stopReason: answer.stopReason,
    usage: usage(answer),
    metrics: { latencyMs: 926 },
    ...answerFields(answer),
  };
}

function frames(answer: Answer): Uint8Array[] {
  const events = [eventFrame("messageStart", { role: "assistant" })];
  let index = 0;
  if (answer.reasoning) {
    for (const piece of textPieces(answer.reasoning.text)) {
      events.push(
        eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { reasoningContent: { text: piece } } }),
      );
    }
    if (answer.reasoning.signature) {
      events.push(
        eventFrame("contentBlockDelta", {
          contentBlockIndex: index,
          delta: { reasoningContent: { signature: answer.reasoning.signature } },
        }),
      );
    }
    events.push(eventFrame("contentBlockStop", { contentBlockIndex: index }));
    index += 1;
  }
  for (const data of answer.redacted) {
    events.push(
      eventFrame("contentBlockDelta", {
        contentBlockIndex: index,
        delta: { reasoningContent: { redactedContent: data } },
      }),
    );
    events.push(eventFrame("contentBlockStop", { contentBlockIndex: index }));
    index += 1;
  }
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
  events.push(eventFrame("metadata", { usage: usage(answer), metrics: { latencyMs: 1957 }, ...answerFields(answer) }));
  return events;
}

/** Whether the answer reasons: Claude with thinking on, Nova 2 with reasoningConfig, and models that always do. */
function reasoning(body: RequestBody, model: FakeFoundationModel): "signed" | "plain" | undefined {
  const features = featuresOf(model);
  const fields = (body.additionalModelRequestFields ?? {}) as Record<string, { type?: string } | undefined>;
  if (features.thinking && fields.thinking?.type === "enabled") return "signed";
  if (features.reasoningEffort && fields.reasoningConfig?.type === "enabled") return "plain";
  return features.alwaysReasons ? "plain" : undefined;
}

function forcedTool(body: RequestBody) {
  const config = body.toolConfig as
    | {
        tools: { toolSpec?: { name: string; inputSchema: { json: unknown } } }[];
        toolChoice?: { tool?: { name: string } };
      }
    | undefined;
  const name = config?.toolChoice?.tool?.name;
  const spec = config?.tools.find((tool) => tool.toolSpec?.name === name)?.toolSpec;
  return spec ? { name: spec.name, schema: spec.inputSchema.json } : undefined;
}

function outputSchema(body: RequestBody): unknown {
  const schema = (
    body.outputConfig as { textFormat?: { structure?: { jsonSchema?: { schema?: string } } } } | undefined
  )?.textFormat?.structure?.jsonSchema?.schema;
  return schema === undefined ? undefined : JSON.parse(schema);
}

/** The prompt up to the last cache point, as the cache knows prefixes. */
function cachePrefix(body: RequestBody): string | undefined {
  const parts: unknown[] = [];
  let prefix: string | undefined;
  const walk = (blocks: unknown, section: string) => {
    for (const block of Array.isArray(blocks) ? (blocks as Record<string, unknown>[]) : []) {
      if (isRecord(block.cachePoint)) prefix = JSON.stringify(parts);
      else parts.push([section, block]);
    }
  };
  walk((body.toolConfig as { tools?: unknown } | undefined)?.tools, "tools");
  walk(body.system, "system");
  for (const message of body.messages as ConverseMessage[]) walk(message.content, message.role);
  return prefix;
}

export const converseFamily = chatFamily({
  name: "Converse",
  handles: (operation) => operation.startsWith("converse"),
  rules: [
    messagesList,
    turnOrder,
    contentBlocks,
    toolConfigForToolBlocks,
    systemText,
    samplingRange,
    toolUse,
    outputConfig,
    additionalFields,
    promptCache,
    documents,
    requestMetadata,
    reasoningHistory,
  ],
  turns: converseTurns,
  stopReason: (toolUses) => (toolUses > 0 ? "tool_use" : "end_turn"),
  toolUseId: (sequence, index) => `tooluse_fake${sequence}x${index}`,
  message: response,
  frames,
  reasoning,
  forcedTool,
  outputSchema,
  cachePrefix,
  guardrailStopReason: "guardrail_intervened",
});
