/** fast-check generators of canonical messages and requests, valid or not, for property tests. */
import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  type Message,
  MessageSchema,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { PNG_DATA_URL } from "./images.js";
import { toolName } from "./tools.js";

const text = fc.oneof(fc.constant(""), fc.constant("  "), fc.string({ minLength: 1, maxLength: 12 }));
const optionalText = fc.option(text, { nil: undefined });
const textPart = text.map((value) => ({ type: "text", text: value }));
const imagePart = fc.constant({
  type: "image_url",
  imageUrl: { url: PNG_DATA_URL, detail: "" },
});
const callId = fc.constantFrom("call_1", "call_2", "toolu_3");
const toolCall = fc.record({
  id: callId,
  type: fc.constant("function"),
  function: fc.record({
    name: toolName,
    arguments: fc.constantFrom("", "{}", '{"city":"Paris"}', '{"n":[1,2]}', "not json", "[1]"),
  }),
});

const systemMessage = fc.record({
  role: fc.constantFrom("system", "developer"),
  content: optionalText,
  contentParts: fc.array(textPart, { maxLength: 2 }),
});
const userMessage = fc.record({
  role: fc.constant("user"),
  content: optionalText,
  contentParts: fc.array(fc.oneof(textPart, imagePart), { maxLength: 3 }),
});
const assistantMessage = fc.record({
  role: fc.constant("assistant"),
  content: optionalText,
  contentParts: fc.array(textPart, { maxLength: 2 }),
  toolCalls: fc.array(toolCall, { maxLength: 2 }),
});
const toolMessage = fc.record({ role: fc.constant("tool"), toolCallId: callId, content: optionalText });

export const message: fc.Arbitrary<Message> = fc
  .oneof(systemMessage, userMessage, userMessage, assistantMessage, toolMessage)
  .map((init) => create(MessageSchema, init));

export const messages = fc.array(message, { minLength: 1, maxLength: 8 });

const tool = toolName.map((name) => ({
  type: "function",
  function: { name, description: "", parameters: { type: "object", properties: {} } },
}));

export const request: fc.Arbitrary<ChatCompletionRequest> = fc
  .record({
    messages,
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
    topP: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    maxTokens: fc.option(fc.integer({ min: 1, max: 8192 }), { nil: undefined }),
    maxCompletionTokens: fc.option(fc.integer({ min: 1, max: 8192 }), { nil: undefined }),
    topK: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
    n: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    presencePenalty: fc.option(fc.constantFrom(0, 0.5), { nil: undefined }),
    stop: fc.array(fc.string({ maxLength: 5 }), { maxLength: 4 }),
    tools: fc.uniqueArray(tool, { maxLength: 3, selector: (t) => t.function.name }),
    toolChoice: fc.option(
      fc.oneof(
        fc.constantFrom("none", "auto", "required").map((type) => ({ type })),
        toolName.map((name) => ({ type: "function", function: { name } })),
      ),
      { nil: undefined },
    ),
    parallelToolCalls: fc.option(fc.boolean(), { nil: undefined }),
    responseFormat: fc.option(
      fc.constantFrom("text", "json_object").map((type) => ({ type })),
      { nil: undefined },
    ),
  })
  .map((init) => create(ChatCompletionRequestSchema, { model: "m", ...init }));
