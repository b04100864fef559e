/** fast-check generators of OpenAI Chat Completions JSON, as clients send it and OpenAI answers it. */
import fc from "fast-check";
import { answer } from "./answers.js";
import { sampling } from "./carried-requests.js";
import { imageDataUrl } from "./images.js";
import { anyText } from "./text.js";
import { toolArguments, toolName } from "./tools.js";

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
    .tuple(imageDataUrl, fc.constantFrom("object", "string"), fc.option(fc.constantFrom("auto", "low", "high")))
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
