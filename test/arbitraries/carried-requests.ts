/**
 * fast-check generators of valid canonical requests that a Bedrock body
 * can carry whole: conversations that start with a user turn, tool calls
 * answered by tool messages.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  type MessageSchema,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { imageDataUrl } from "./images.js";
import { anyText } from "./text.js";
import { toolArguments, toolName } from "./tools.js";

type MessageInit = MessageInitShape<typeof MessageSchema>;

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
    imageDataUrl.map((url) => ({ type: "image_url", imageUrl: { url, detail: "" } })),
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

/** Sampling and limits, within what every Bedrock body takes. */
export const sampling = {
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
