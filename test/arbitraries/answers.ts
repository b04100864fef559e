/**
 * fast-check generators for the formats' round trips: valid canonical
 * requests (conversations that start with a user turn, tool calls answered
 * by tool messages), complete answers, and the chunk streams of answers.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  type ChatCompletionResponse,
  ChatCompletionResponseSchema,
  type MessageSchema,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { PNG_BASE64 } from "./canonical-requests.js";
import { anyText } from "./text.js";

type MessageInit = MessageInitShape<typeof MessageSchema>;

const TOOL_NAMES = ["get_weather", "lookup", "now"] as const;
const toolName = fc.constantFrom(...TOOL_NAMES);

/** Tool arguments: a JSON object, as every Bedrock format carries them. */
export const toolArguments: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.string({ maxLength: 6 }).filter((key) => key !== "__proto__"),
  fc.oneof(anyText(10), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })),
  { maxKeys: 3 },
);

const text = (options: { markers: boolean }) =>
  options.markers ? anyText(30) : anyText(30).filter((value) => !/User:|Bot:/.test(value));

/** A message's text: a plain string, text parts, or both. */
function textContent(value: fc.Arbitrary<string>): fc.Arbitrary<Pick<MessageInit, "content" | "contentParts">> {
  const parts = fc.array(
    value.map((part) => ({ type: "text", text: part })),
    { minLength: 1, maxLength: 2 },
  );
  return fc.oneof(
    value.map((content) => ({ content })),
    parts.map((contentParts) => ({ contentParts })),
    fc.tuple(value, parts).map(([content, contentParts]) => ({ content, contentParts })),
  );
}

const image = fc.constantFrom(
  `data:image/png;base64,${PNG_BASE64}`,
  "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
);

interface ConversationOptions {
  /** Images in user turns, tool calls and tool results (Claude) or text only (Titan). */
  rich: boolean;
}

const systemMessages = (value: fc.Arbitrary<string>) =>
  fc.array(
    fc.tuple(fc.constantFrom("system", "developer"), textContent(value)).map(([role, content]) => ({
      role,
      ...content,
    })),
    { maxLength: 2 },
  );

function userMessage(value: fc.Arbitrary<string>, rich: boolean): fc.Arbitrary<MessageInit> {
  if (!rich) return textContent(value).map((content) => ({ role: "user", ...content }));
  const part = fc.oneof(
    value.map((part) => ({ type: "text", text: part })),
    image.map((url) => ({ type: "image_url", imageUrl: { url, detail: "" } })),
  );
  return fc.oneof(
    value.map((content) => ({ role: "user", content })),
    fc.array(part, { minLength: 1, maxLength: 3 }).map((contentParts) => ({ role: "user", contentParts })),
  );
}

/** An assistant turn, and the tool messages that answer its calls. */
function assistantTurn(value: fc.Arbitrary<string>, rich: boolean): fc.Arbitrary<MessageInit[]> {
  const plain = textContent(value).map((content): MessageInit[] => [{ role: "assistant", ...content }]);
  if (!rich) return plain;
  const calls = fc.uniqueArray(
    fc.record({ id: fc.stringMatching(/^[a-z]{1,8}_[A-Za-z0-9]{1,10}$/), name: toolName, input: toolArguments }),
    { minLength: 1, maxLength: 2, selector: (call) => call.id },
  );
  const withCalls = fc
    .tuple(fc.option(textContent(value), { nil: undefined }), calls, fc.array(value, { minLength: 2, maxLength: 2 }))
    .map(([content, made, results]): MessageInit[] => [
      {
        role: "assistant",
        ...content,
        toolCalls: made.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: JSON.stringify(call.input) },
        })),
      },
      ...made.map((call, index) => ({ role: "tool", toolCallId: call.id, content: results[index % 2] ?? "" })),
    ]);
  return fc.oneof(plain, withCalls);
}

/** System messages, then user turns each optionally answered by the assistant. */
function conversation(options: ConversationOptions & { markers: boolean }): fc.Arbitrary<MessageInit[]> {
  const value = text(options);
  const exchange = fc
    .tuple(userMessage(value, options.rich), fc.option(assistantTurn(value, options.rich), { nil: undefined }))
    .map(([user, answer]) => [user, ...(answer ?? [])]);
  return fc
    .tuple(systemMessages(value), fc.array(exchange, { minLength: 1, maxLength: 3 }))
    .map(([system, exchanges]) => [...system, ...exchanges.flat()]);
}

const toolNamed = (name: string) => ({
  type: "function",
  function: {
    name,
    description: name === "now" ? "" : `The ${name} tool.`,
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
});
const tool = toolName.map(toolNamed);

const sampling = {
  temperature: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  topP: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  maxTokens: fc.option(fc.integer({ min: 1, max: 8192 }), { nil: undefined }),
  stop: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 4 }),
};

/** A valid request that a Claude body can carry whole. */
export const claudeCarriedRequest: fc.Arbitrary<ChatCompletionRequest> = fc
  .record({
    messages: conversation({ rich: true, markers: true }),
    ...sampling,
    topK: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
    tools: fc.uniqueArray(tool, { maxLength: 3, selector: (t) => t.function.name }),
    choice: fc.option(fc.constantFrom("none", "auto", "required", "function"), { nil: undefined }),
    parallelToolCalls: fc.option(fc.constant(false), { nil: undefined }),
  })
  .map(({ choice, tools: given, ...init }) => {
    // Tools the history calls are defined too, as a caller that used them would.
    const called = init.messages.flatMap(
      (message) => message.toolCalls?.map((call) => call.function?.name ?? "") ?? [],
    );
    const missingNames = [...new Set(called)].filter((name) => !given.some((t) => t.function.name === name));
    const tools = [...given, ...missingNames.map(toolNamed)];
    const first = tools[0]?.function.name;
    const toolChoice =
      choice === undefined || (tools.length === 0 && choice !== "auto" && choice !== "none")
        ? undefined
        : choice === "function"
          ? first === undefined
            ? undefined
            : { type: "function", function: { name: first } }
          : { type: choice };
    return create(ChatCompletionRequestSchema, {
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      ...init,
      tools,
      ...(toolChoice ? { toolChoice } : {}),
    });
  });

/** A valid text-only request whose texts do not use the transcript's own markers. */
export const titanCarriedRequest: fc.Arbitrary<ChatCompletionRequest> = fc
  .record({ messages: conversation({ rich: false, markers: false }), ...sampling })
  .map((init) => create(ChatCompletionRequestSchema, { model: "amazon.titan-text-express-v1", ...init }));

const usage = fc.option(
  fc
    .record({
      promptTokens: fc.integer({ min: 0, max: 100_000 }),
      completionTokens: fc.integer({ min: 0, max: 10_000 }),
      cached: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ promptTokens, completionTokens, cached }) => ({
      promptTokens: promptTokens + (cached ?? 0),
      completionTokens,
      totalTokens: promptTokens + (cached ?? 0) + completionTokens,
      ...(cached === undefined ? {} : { promptTokensDetails: { cachedTokens: cached } }),
    })),
  { nil: undefined },
);

export interface AnswerShape {
  text: string;
  calls: { id: string; name: string; input: Record<string, unknown> }[];
  finishReason: string;
  usage:
    | {
        promptTokens: number;
        completionTokens: number;
        totalTokens: number;
        promptTokensDetails?: { cachedTokens: number };
      }
    | undefined;
}

/** What an answer says; tool calls only when `rich`. */
export function answer(options: { rich: boolean }): fc.Arbitrary<AnswerShape> {
  const calls = options.rich
    ? fc.uniqueArray(
        fc.record({ id: fc.stringMatching(/^call_[A-Za-z0-9]{1,12}$/), name: toolName, input: toolArguments }),
        { maxLength: 3, selector: (call) => call.id },
      )
    : fc.constant<AnswerShape["calls"]>([]);
  return fc
    .record({
      text: anyText(40),
      calls,
      finishReason: fc.constantFrom("stop", "length", "content_filter"),
      usage,
    })
    .map((shape) => ({ ...shape, finishReason: shape.calls.length > 0 ? "tool_calls" : shape.finishReason }));
}

export function responseOf(shape: AnswerShape): ChatCompletionResponse {
  const toolCalls = shape.calls.map((call) => ({
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.input) },
  }));
  const content = shape.text === "" && toolCalls.length > 0 ? {} : { content: shape.text };
  return create(ChatCompletionResponseSchema, {
    id: "chatcmpl-roundtrip",
    created: 1_700_000_000n,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", ...content, toolCalls }, finishReason: shape.finishReason }],
    usage: shape.usage,
  });
}

/** Cuts a text into 1..n pieces at the given fractions. */
function pieces(whole: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((cut) => Math.floor(cut * whole.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let start = 0;
  for (const end of [...at, whole.length]) {
    if (end > start) out.push(whole.slice(start, end));
    start = Math.max(start, end);
  }
  return out;
}

/** An answer and the chunk stream that tells it (text in pieces, each call's arguments in fragments). */
export function streamedAnswer(options: { rich: boolean }): fc.Arbitrary<[AnswerShape, ChatCompletionChunk[]]> {
  const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 });
  return fc.tuple(answer(options), cuts, cuts).map(([shape, textCuts, argumentCuts]) => {
    const base = { id: "chatcmpl-roundtrip", created: 1_700_000_000n, model: "m" };
    const chunk = (delta: MessageInitShape<typeof ChatCompletionChunkSchema>["choices"]) =>
      create(ChatCompletionChunkSchema, { ...base, choices: delta });
    const chunks = [chunk([{ index: 0, delta: { role: "assistant", content: "" } }])];
    for (const piece of pieces(shape.text, textCuts)) chunks.push(chunk([{ index: 0, delta: { content: piece } }]));
    shape.calls.forEach((call, index) => {
      chunks.push(
        chunk([
          {
            index: 0,
            delta: {
              toolCalls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
            },
          },
        ]),
      );
      for (const fragment of pieces(JSON.stringify(call.input), argumentCuts)) {
        chunks.push(chunk([{ index: 0, delta: { toolCalls: [{ index, function: { arguments: fragment } }] } }]));
      }
    });
    chunks.push(chunk([{ index: 0, delta: {}, finishReason: shape.finishReason }]));
    if (shape.usage) chunks.push(create(ChatCompletionChunkSchema, { ...base, choices: [], usage: shape.usage }));
    return [shape, chunks];
  });
}

// ---------------------------------------------------------------- OpenAI JSON, as clients send it

type Json = Record<string, unknown>;

/** Text content in the forms OpenAI takes: a string, or text parts. */
const jsonText = (value: fc.Arbitrary<string>) =>
  fc.oneof(
    value,
    fc.array(
      value.map((part) => ({ type: "text", text: part })),
      { minLength: 1, maxLength: 2 },
    ),
  );

/** A user turn: a string, or parts of text and images (`image_url` as an object, or as the early API's URL string). */
const jsonUser = (value: fc.Arbitrary<string>): fc.Arbitrary<Json> => {
  const imagePart = fc
    .tuple(image, fc.constantFrom("object", "string"), fc.option(fc.constantFrom("auto", "low", "high")))
    .map(([url, form, detail]) => ({
      type: "image_url",
      image_url: form === "string" ? url : { url, ...(detail === null ? {} : { detail }) },
    }));
  const part = fc.oneof(
    value.map((text) => ({ type: "text", text })),
    imagePart,
  );
  return fc.oneof(
    value.map((content) => ({ role: "user", content })),
    fc.array(part, { minLength: 1, maxLength: 3 }).map((content) => ({ role: "user", content })),
  );
};

/** An assistant turn, with tool calls answered by tool messages or without. */
const jsonAssistant = (value: fc.Arbitrary<string>): fc.Arbitrary<Json[]> => {
  const plain = jsonText(value).map((content): Json[] => [{ role: "assistant", content }]);
  const calls = fc.uniqueArray(
    fc.record({ id: fc.stringMatching(/^call_[A-Za-z0-9]{1,10}$/), name: toolName, input: toolArguments }),
    { minLength: 1, maxLength: 2, selector: (call) => call.id },
  );
  const withCalls = fc
    .tuple(fc.option(jsonText(value)), calls, fc.array(jsonText(value), { minLength: 2, maxLength: 2 }))
    .map(([content, made, results]): Json[] => [
      {
        role: "assistant",
        // OpenAI's own answers put `null` beside tool calls.
        content,
        tool_calls: made.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: JSON.stringify(call.input) },
        })),
      },
      ...made.map((call, index) => ({ role: "tool", tool_call_id: call.id, content: results[index % 2] ?? "" })),
    ]);
  return fc.oneof(plain, withCalls);
};

const jsonTool = (name: string) => ({
  type: "function",
  function: {
    name,
    ...(name === "now" ? {} : { description: `The ${name} tool.` }),
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
});

/**
 * An OpenAI Chat Completions body for a Claude model, as a client writes it:
 * system or developer messages, user turns with text and images, assistant
 * turns with tool calls and their results, tools and `tool_choice` in each
 * form, `stop` as a string or a list, sampling and a token limit.
 */
export const openAIJsonRequest: fc.Arbitrary<Json> = fc
  .record({
    system: fc.array(
      fc.tuple(fc.constantFrom("system", "developer"), jsonText(anyText(30))).map(([role, content]) => ({
        role,
        content,
      })),
      { maxLength: 2 },
    ),
    exchanges: fc.array(fc.tuple(jsonUser(anyText(30)), fc.option(jsonAssistant(anyText(30)))), {
      minLength: 1,
      maxLength: 3,
    }),
    tools: fc.uniqueArray(toolName, { maxLength: 3 }),
    choice: fc.option(fc.constantFrom("none", "auto", "required", "function")),
    parallel: fc.option(fc.constant(false)),
    stop: fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 5 }), sampling.stop)),
    temperature: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    top_p: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    limit: fc.option(
      fc.tuple(fc.constantFrom("max_tokens", "max_completion_tokens"), fc.integer({ min: 1, max: 8192 })),
    ),
  })
  .map(({ system, exchanges, tools: given, choice, parallel, stop, temperature, top_p, limit }) => {
    const messages: Json[] = [...system, ...exchanges.flatMap(([user, answer]) => [user, ...(answer ?? [])])];
    // Tools the history calls are defined too, as a caller that used them would.
    const called = messages.flatMap((message) =>
      ((message.tool_calls as { function: { name: string } }[] | undefined) ?? []).map((call) => call.function.name),
    );
    const names = [...new Set([...given, ...called])];
    const first = names[0];
    const toolChoice =
      choice === null || (names.length === 0 && choice !== "auto" && choice !== "none")
        ? undefined
        : choice === "function"
          ? first === undefined
            ? undefined
            : { type: "function", function: { name: first } }
          : choice;
    const optional: Json = { stop, temperature, top_p, parallel_tool_calls: parallel, tool_choice: toolChoice };
    return {
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      messages,
      ...(names.length > 0 ? { tools: names.map(jsonTool) } : {}),
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null && value !== undefined)),
      ...(limit ? { [limit[0]]: limit[1] } : {}),
    };
  });

/** A `chat.completion` as OpenAI answers it: text and or tool calls, a finish reason, usage. */
export const openAIJsonAnswer: fc.Arbitrary<Json> = answer({ rich: true }).map((shape) => ({
  id: "chatcmpl-roundtrip",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini-2024-07-18",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: shape.text === "" && shape.calls.length > 0 ? null : shape.text,
        refusal: null,
        ...(shape.calls.length > 0
          ? {
              tool_calls: shape.calls.map((call) => ({
                id: call.id,
                type: "function",
                function: { name: call.name, arguments: JSON.stringify(call.input) },
              })),
            }
          : {}),
      },
      logprobs: null,
      finish_reason: shape.finishReason,
    },
  ],
  ...(shape.usage
    ? {
        usage: {
          prompt_tokens: shape.usage.promptTokens,
          completion_tokens: shape.usage.completionTokens,
          total_tokens: shape.usage.totalTokens,
          ...(shape.usage.promptTokensDetails
            ? { prompt_tokens_details: { cached_tokens: shape.usage.promptTokensDetails.cachedTokens } }
            : {}),
        },
      }
    : {}),
}));
