import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  type MessageSchema,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError } from "../../src/core/errors.js";
import { validateChatRequest } from "../../src/core/validate-request.js";

// The plain-object form of the init shape (the other form is a built message).
type RequestInit = Exclude<MessageInitShape<typeof ChatCompletionRequestSchema>, ChatCompletionRequest>;
type MessageInit = MessageInitShape<typeof MessageSchema>;

const user: MessageInit = { role: "user", content: "Hello" };
const weatherTool = { type: "function", function: { name: "get_weather", description: "Weather of a city" } };

function request(init: Partial<RequestInit> = {}) {
  return create(ChatCompletionRequestSchema, { model: "gpt-4o-mini", messages: [user], ...init });
}

/** The InvalidRequestError the request is refused with. */
function refusal(init: Partial<RequestInit>): InvalidRequestError {
  try {
    validateChatRequest(request(init));
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("the request was accepted");
}

describe("validateChatRequest accepts", () => {
  it.each<[string, Partial<RequestInit>]>([
    ["a single user message", {}],
    [
      "every role",
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "developer", content: "Answer in French." },
          user,
          { role: "assistant", toolCalls: [{ id: "call_1", type: "function", function: { name: "get_weather" } }] },
          { role: "tool", toolCallId: "call_1", content: "sunny" },
          { role: "assistant", content: "" },
        ],
        tools: [weatherTool],
      },
    ],
    [
      "a user message with text and image parts",
      {
        messages: [
          {
            role: "user",
            contentParts: [
              { type: "text", text: "What is this?" },
              { type: "image_url", imageUrl: { url: "https://example.com/cat.png", detail: "low" } },
            ],
          },
        ],
      },
    ],
    [
      "the limits of every range",
      {
        temperature: 2,
        topP: 0,
        maxTokens: 1,
        maxCompletionTokens: 1,
        n: 128,
        presencePenalty: -2,
        frequencyPenalty: 2,
        topK: 1,
      },
    ],
    ["four stop sequences", { stop: ["a", "b", "c", "d"] }],
    ["tool_choice none without tools", { toolChoice: { type: "none" } }],
    ["tool_choice auto without tools", { toolChoice: { type: "auto" } }],
    ["tool_choice required with tools", { tools: [weatherTool], toolChoice: { type: "required" } }],
    [
      "tool_choice naming a given function",
      { tools: [weatherTool], toolChoice: { type: "function", function: { name: "get_weather" } } },
    ],
    ["a 64-character tool name", { tools: [{ type: "function", function: { name: "a".repeat(64) } }] }],
    [
      "part, tool and tool call types the providers judge (OpenAI's own)",
      {
        messages: [
          { role: "user", contentParts: [{ type: "input_audio", extensions: { input_audio: { data: "AAAA" } } }] },
          { role: "assistant", toolCalls: [{ id: "c1", type: "custom", extensions: { custom: { name: "g" } } }] },
        ],
        tools: [{ type: "custom", extensions: { custom: { name: "g" } } }],
      },
    ],
    [
      "a file part and an assistant's thinking blocks",
      {
        messages: [
          { role: "user", contentParts: [{ type: "file", file: { fileData: "data:application/pdf;base64,JVBE" } }] },
          {
            role: "assistant",
            content: "b",
            thinkingBlocks: [
              { type: "thinking", thinking: "t", signature: "s" },
              { type: "redacted_thinking", data: "d" },
            ],
          },
        ],
      },
    ],
    ["response_format text", { responseFormat: { type: "text" } }],
    ["response_format json_object", { responseFormat: { type: "json_object" } }],
    [
      "response_format json_schema with a name",
      { responseFormat: { type: "json_schema", jsonSchema: { name: "answer", schema: { type: "object" } } } },
    ],
  ])("%s", (_name, init) => {
    expect(() => validateChatRequest(request(init))).not.toThrow();
  });
});

describe("validateChatRequest refuses", () => {
  it.each<[string, Partial<RequestInit>, param: string, code: string]>([
    ["no messages", { messages: [] }, "messages", "missing_required_parameter"],
    [
      "an unknown role",
      { messages: [user, user, { role: "robot", content: "beep" }] },
      "messages.[2].role",
      "invalid_value",
    ],
    ["an empty role", { messages: [{ role: "", content: "x" }] }, "messages.[0].role", "invalid_value"],
    [
      "a tool message without tool_call_id",
      { messages: [user, { role: "tool", content: "sunny" }] },
      "messages.[1].tool_call_id",
      "missing_required_parameter",
    ],
    [
      "a user message without content",
      { messages: [{ role: "user" }] },
      "messages.[0].content",
      "missing_required_parameter",
    ],
    [
      "a system message without content",
      { messages: [{ role: "system" }, user] },
      "messages.[0].content",
      "missing_required_parameter",
    ],
    [
      "an assistant message with neither content nor tool_calls",
      { messages: [user, { role: "assistant" }] },
      "messages.[1].content",
      "missing_required_parameter",
    ],
    [
      "tool_calls on a user message",
      {
        messages: [
          { role: "user", content: "x", toolCalls: [{ id: "call_1", type: "function", function: { name: "f" } }] },
        ],
      },
      "messages.[0].tool_calls",
      "invalid_value",
    ],
    [
      "a file part with neither data nor an id",
      { messages: [{ role: "user", contentParts: [{ type: "file", file: { filename: "a.pdf" } }] }] },
      "messages.[0].content.[0].file.file_data",
      "missing_required_parameter",
    ],
    [
      "thinking blocks on a user message",
      { messages: [{ role: "user", content: "a", thinkingBlocks: [{ type: "thinking" }] }] },
      "messages.[0].thinking_blocks.[0]",
      "invalid_value",
    ],
    [
      "a thinking block of an unknown type",
      {
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b", thinkingBlocks: [{ type: "summary" }] },
        ],
      },
      "messages.[1].thinking_blocks.[0].type",
      "invalid_value",
    ],
    [
      "an image part without a URL",
      { messages: [{ role: "user", contentParts: [{ type: "image_url", imageUrl: { url: "" } }] }] },
      "messages.[0].content.[0].image_url.url",
      "missing_required_parameter",
    ],
    [
      "an image part without image_url",
      { messages: [{ role: "user", contentParts: [{ type: "image_url" }] }] },
      "messages.[0].content.[0].image_url.url",
      "missing_required_parameter",
    ],
    [
      "an image in a system message",
      {
        messages: [
          { role: "system", contentParts: [{ type: "image_url", imageUrl: { url: "https://example.com/a.png" } }] },
          user,
        ],
      },
      "messages.[0].content.[0].type",
      "invalid_value",
    ],
    [
      "a tool call without id",
      { messages: [user, { role: "assistant", toolCalls: [{ type: "function", function: { name: "f" } }] }] },
      "messages.[1].tool_calls.[0].id",
      "missing_required_parameter",
    ],
    [
      "a tool call without a function name",
      {
        messages: [
          user,
          {
            role: "assistant",
            toolCalls: [
              { id: "call_1", type: "function", function: { name: "f" } },
              { id: "call_2", type: "function" },
            ],
          },
        ],
      },
      "messages.[1].tool_calls.[1].function.name",
      "missing_required_parameter",
    ],
    ["temperature above 2", { temperature: 2.5 }, "temperature", "invalid_value"],
    ["temperature below 0", { temperature: -0.1 }, "temperature", "invalid_value"],
    ["a temperature that is not a number", { temperature: Number.NaN }, "temperature", "invalid_value"],
    ["top_p above 1", { topP: 1.01 }, "top_p", "invalid_value"],
    ["max_tokens of 0", { maxTokens: 0 }, "max_tokens", "invalid_value"],
    ["a fractional max_tokens", { maxTokens: 1.5 }, "max_tokens", "invalid_value"],
    ["max_completion_tokens of 0", { maxCompletionTokens: 0 }, "max_completion_tokens", "invalid_value"],
    ["n of 0", { n: 0 }, "n", "invalid_value"],
    ["n above 128", { n: 129 }, "n", "invalid_value"],
    ["presence_penalty below -2", { presencePenalty: -2.5 }, "presence_penalty", "invalid_value"],
    ["frequency_penalty above 2", { frequencyPenalty: 3 }, "frequency_penalty", "invalid_value"],
    ["top_k of 0", { topK: 0 }, "top_k", "invalid_value"],
    ["five stop sequences", { stop: ["a", "b", "c", "d", "e"] }, "stop", "invalid_value"],
    [
      "a tool name with a space",
      { tools: [{ type: "function", function: { name: "get weather" } }] },
      "tools.[0].function.name",
      "invalid_value",
    ],
    [
      "a tool name of 65 characters",
      { tools: [{ type: "function", function: { name: "a".repeat(65) } }] },
      "tools.[0].function.name",
      "invalid_value",
    ],
    ["a tool without a function", { tools: [{ type: "function" }] }, "tools.[0].function.name", "invalid_value"],
    ["an unknown tool_choice", { tools: [weatherTool], toolChoice: { type: "any" } }, "tool_choice", "invalid_value"],
    ["tool_choice required without tools", { toolChoice: { type: "required" } }, "tool_choice", "invalid_value"],
    [
      "tool_choice naming a function that is not in tools",
      { tools: [weatherTool], toolChoice: { type: "function", function: { name: "get_time" } } },
      "tool_choice",
      "invalid_value",
    ],
    [
      "tool_choice function without tools",
      { toolChoice: { type: "function", function: { name: "get_weather" } } },
      "tool_choice",
      "invalid_value",
    ],
    ["an unknown response_format", { responseFormat: { type: "xml" } }, "response_format.type", "invalid_value"],
    [
      "response_format json_schema without a name",
      { responseFormat: { type: "json_schema", jsonSchema: { schema: { type: "object" } } } },
      "response_format.json_schema.name",
      "missing_required_parameter",
    ],
    ["a seed beyond 2^53", { seed: 2n ** 60n }, "seed", "invalid_value"],
    ["a seed below -2^53", { seed: -(2n ** 60n) }, "seed", "invalid_value"],
    [
      "response_format json_schema without a schema object",
      { responseFormat: { type: "json_schema" } },
      "response_format.json_schema.name",
      "missing_required_parameter",
    ],
  ])("%s, naming %s", (_name, init, param, code) => {
    const error = refusal(init);
    expect(error.param).toBe(param);
    expect(error.code).toBe(code);
    expect(error.httpStatus).toBe(400);
    expect(error.message).not.toBe("");
  });

  it("reports the first fault in message order", () => {
    const error = refusal({ messages: [user, { role: "robot", content: "x" }, { role: "tool", content: "y" }] });
    expect(error.param).toBe("messages.[1].role");
  });

  it("names the refused value and the allowed ones", () => {
    expect(refusal({ messages: [{ role: "robot", content: "x" }] }).message).toBe(
      "Invalid value for 'messages.[0].role': 'robot'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool', 'function'.",
    );
    expect(refusal({ temperature: 3 }).message).toBe(
      "Invalid 'temperature': expected a number between 0 and 2, got 3.",
    );
    expect(refusal({ maxTokens: 0 }).message).toBe("Invalid 'max_tokens': expected an integer at least 1, got 0.");
  });
});
