import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  MessageSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { parseChatRequest } from "../../../src/dialects/openai-chat/parse-chat-request.js";
import {
  toOpenAIMessage,
  toOpenAIRequest,
  toOpenAIStreamRequest,
} from "../../../src/providers/openai/to-openai-request.js";
import { wireJson } from "../../helpers/wire-fixtures.js";

type RequestInit = Exclude<MessageInitShape<typeof ChatCompletionRequestSchema>, ChatCompletionRequest>;
type MessageInit = MessageInitShape<typeof MessageSchema>;

const hello: MessageInit = { role: "user", content: "Hello" };

function request(init: Partial<RequestInit> = {}) {
  return create(ChatCompletionRequestSchema, { model: "ignored", messages: [hello], ...init });
}

const message = (init: MessageInit) => toOpenAIMessage(create(MessageSchema, init));

describe("toOpenAIRequest on the wire examples", () => {
  it("gives back the full example request (chat_request_full.json)", () => {
    const body = wireJson<Record<string, unknown>>("openai/chat_request_full.json");
    const { stream: _stream, stream_options: _streamOptions, ...expected } = body;
    const parsed = parseChatRequest(body).request;
    expect(toOpenAIRequest(parsed, String(body.model))).toStrictEqual(expected);
  });

  const variants = wireJson<Record<string, unknown>>("openai/chat_request_tool_choice_variants.json");
  const tools = [{ type: "function", function: { name: "get_weather" } }];

  it.each([
    ["string_none", "none"],
    ["string_auto", "auto"],
    ["string_required", "required"],
    ["named_function", { type: "function", function: { name: "get_weather" } }],
    ["allowed_tools_newer_form", "auto"],
  ])("sends the tool_choice form %s as %j", (name, expected) => {
    const parsed = parseChatRequest({
      messages: [{ role: "user", content: "Hi" }],
      tools,
      tool_choice: variants[name],
    });
    const body = toOpenAIRequest(parsed.request, "gpt-4o");
    expect(body.tool_choice).toStrictEqual(expected);
    expect(body.tools).toStrictEqual([{ type: "function", function: { name: "get_weather" } }]);
  });

  it("sends the user content forms as OpenAI reads them", () => {
    const forms = variants.user_message_content_forms as Record<string, unknown>;
    for (const content of [forms.string, forms.parts]) {
      const parsed = parseChatRequest({ messages: [{ role: "user", content }] });
      expect(toOpenAIRequest(parsed.request, "gpt-4o").messages).toStrictEqual([{ role: "user", content }]);
    }
  });

  it("sends the system content forms and the developer role unchanged", () => {
    const forms = variants.system_message_content_forms as Record<string, unknown>;
    const messages = [
      { role: "system", content: forms.string },
      { role: "system", content: forms.parts_text_only },
      variants.developer_role_message,
      { role: "user", content: "Bonjour" },
    ];
    expect(toOpenAIRequest(parseChatRequest({ messages }).request, "gpt-4o").messages).toStrictEqual(messages);
  });

  it("sends both token limits under the name the caller used", () => {
    const forms = variants.max_tokens_forms as Record<string, Record<string, unknown>>;
    for (const form of [forms.legacy_deprecated, forms.current]) {
      const parsed = parseChatRequest({ messages: [{ role: "user", content: "Hi" }], ...form });
      const { model: _model, messages: _messages, ...rest } = toOpenAIRequest(parsed.request, "gpt-4o");
      expect(rest).toStrictEqual(form);
    }
  });
});

describe("toOpenAIRequest parameters", () => {
  it("sends only the model and messages of a minimal request", () => {
    expect(toOpenAIRequest(request(), "gpt-4o")).toStrictEqual({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hello" }],
    });
  });

  it("uses the routed model id, not the request's model", () => {
    expect(toOpenAIRequest(request({ model: "openai/gpt-4o" }), "gpt-4o").model).toBe("gpt-4o");
  });

  it("sends every sampling parameter, zero values included", () => {
    const body = toOpenAIRequest(
      request({
        temperature: 0,
        topP: 0,
        maxTokens: 16,
        maxCompletionTokens: 32,
        n: 2,
        presencePenalty: 0,
        frequencyPenalty: -1.5,
        seed: 42n,
        user: "user-123",
        reasoningEffort: "low",
        stop: ["END", "\n\n"],
      }),
      "gpt-4o",
    );
    expect(body).toStrictEqual({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hello" }],
      temperature: 0,
      top_p: 0,
      max_tokens: 16,
      max_completion_tokens: 32,
      n: 2,
      presence_penalty: 0,
      frequency_penalty: -1.5,
      seed: 42,
      user: "user-123",
      reasoning_effort: "low",
      stop: ["END", "\n\n"],
    });
  });

  it("never sends top_k, which OpenAI does not have", () => {
    expect(toOpenAIRequest(request({ topK: 40 }), "gpt-4o")).not.toHaveProperty("top_k");
  });

  it("sends parallel_tool_calls only with tools, as OpenAI refuses it otherwise", () => {
    expect(toOpenAIRequest(request({ parallelToolCalls: false }), "gpt-4o")).not.toHaveProperty("parallel_tool_calls");
    const tools = [{ type: "function", function: { name: "f" } }];
    expect(toOpenAIRequest(request({ tools, parallelToolCalls: false }), "gpt-4o").parallel_tool_calls).toBe(false);
    expect(toOpenAIRequest(request({ tools, parallelToolCalls: true }), "gpt-4o").parallel_tool_calls).toBe(true);
    expect(toOpenAIRequest(request({ tools }), "gpt-4o")).not.toHaveProperty("parallel_tool_calls");
  });

  it("sends a tool's description, parameters and strict only when they are set", () => {
    const parameters = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const body = toOpenAIRequest(
      request({
        tools: [
          { type: "function", function: { name: "bare" } },
          { type: "function", function: { name: "full", description: "Does it all", parameters, strict: false } },
        ],
      }),
      "gpt-4o",
    );
    expect(body.tools).toStrictEqual([
      { type: "function", function: { name: "bare" } },
      { type: "function", function: { name: "full", description: "Does it all", parameters, strict: false } },
    ]);
  });

  it.each([
    [{ type: "text" }, { type: "text" }],
    [{ type: "json_object" }, { type: "json_object" }],
    [
      { type: "json_schema", jsonSchema: { name: "answer" } },
      { type: "json_schema", json_schema: { name: "answer" } },
    ],
    [
      {
        type: "json_schema",
        jsonSchema: { name: "answer", description: "An answer", schema: { type: "object" }, strict: true },
      },
      {
        type: "json_schema",
        json_schema: { name: "answer", description: "An answer", schema: { type: "object" }, strict: true },
      },
    ],
  ])("sends the response_format %j as %j", (responseFormat, expected) => {
    expect(toOpenAIRequest(request({ responseFormat }), "gpt-4o").response_format).toStrictEqual(expected);
  });
});

describe("toOpenAIMessage", () => {
  it("puts a user message's plain text before its parts", () => {
    expect(
      message({
        role: "user",
        content: "First",
        contentParts: [
          { type: "text", text: "Second" },
          { type: "image_url", imageUrl: { url: "https://example.com/a.png", detail: "high" } },
        ],
      }),
    ).toStrictEqual({
      role: "user",
      content: [
        { type: "text", text: "First" },
        { type: "text", text: "Second" },
        { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "high" } },
      ],
    });
  });

  it("sends only the image details OpenAI knows", () => {
    const detail = (value: string) =>
      message({ role: "user", contentParts: [{ type: "image_url", imageUrl: { url: "u", detail: value } }] });
    expect(detail("low")).toStrictEqual({
      role: "user",
      content: [{ type: "image_url", image_url: { url: "u", detail: "low" } }],
    });
    expect(detail("")).toStrictEqual({ role: "user", content: [{ type: "image_url", image_url: { url: "u" } }] });
    expect(detail("ultra")).toStrictEqual({ role: "user", content: [{ type: "image_url", image_url: { url: "u" } }] });
  });

  it("keeps a participant's name on user, system, developer and assistant messages", () => {
    expect(message({ role: "user", content: "Hi", name: "ann" })).toStrictEqual({
      role: "user",
      content: "Hi",
      name: "ann",
    });
    expect(message({ role: "system", content: "Be brief", name: "ops" })).toStrictEqual({
      role: "system",
      content: "Be brief",
      name: "ops",
    });
    expect(message({ role: "developer", content: "Use French", name: "dev" })).toStrictEqual({
      role: "developer",
      content: "Use French",
      name: "dev",
    });
    expect(message({ role: "assistant", content: "Sure", name: "bot" })).toStrictEqual({
      role: "assistant",
      content: "Sure",
      name: "bot",
    });
  });

  it("sends a tool result with its tool_call_id", () => {
    expect(message({ role: "tool", toolCallId: "call_1", content: '{"temp":22}', name: "ignored" })).toStrictEqual({
      role: "tool",
      tool_call_id: "call_1",
      content: '{"temp":22}',
    });
    expect(message({ role: "tool", toolCallId: "call_1", contentParts: [{ type: "text", text: "22" }] })).toStrictEqual(
      { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "22" }] },
    );
  });

  it("sends an assistant's tool calls with null content when it said nothing", () => {
    expect(
      message({
        role: "assistant",
        toolCalls: [
          { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "call_2", type: "function", function: { name: "get_time" } },
        ],
      }),
    ).toStrictEqual({
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "call_2", type: "function", function: { name: "get_time", arguments: "" } },
      ],
    });
  });

  it("keeps an assistant's empty text as text", () => {
    expect(message({ role: "assistant", content: "" })).toStrictEqual({ role: "assistant", content: "" });
  });

  it("sends a system message's parts as text parts, after its plain text", () => {
    expect(message({ role: "system", content: "A", contentParts: [{ type: "text", text: "B" }] })).toStrictEqual({
      role: "system",
      content: [
        { type: "text", text: "A" },
        { type: "text", text: "B" },
      ],
    });
  });
});

describe("toOpenAIRequest sends what the canonical model does not map, as the caller sent it", () => {
  it("the request's, a message's, a part's, a tool's and a tool call's other fields, and cache_control", () => {
    const body = {
      model: "gpt-4o",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "a", cache_control: { type: "ephemeral" } },
            { type: "input_audio", input_audio: { data: "AA==", format: "wav" } },
            { type: "file", file: { file_id: "file-1" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          refusal: null,
          reasoning_content: "r",
          thinking_blocks: [{ type: "thinking", thinking: "r", signature: "s" }],
          tool_calls: [{ id: "c1", type: "custom", custom: { name: "g", input: "x" } }],
        },
      ],
      tools: [{ type: "custom", custom: { name: "g" } }],
      logprobs: true,
      a_future_field: [1],
    };
    expect(toOpenAIRequest(parseChatRequest(body).request, "gpt-4o")).toStrictEqual(body);
  });

  it("asks a stream for usage, keeping the caller's other stream options", () => {
    const parsed = parseChatRequest({
      model: "gpt-4o",
      messages: [hello],
      stream: true,
      stream_options: { include_obfuscation: false },
    }).request;
    expect(toOpenAIStreamRequest(parsed, "gpt-4o")).toMatchObject({
      stream: true,
      stream_options: { include_obfuscation: false, include_usage: true },
    });
  });
});

describe("legacy function calling reaches OpenAI as sent", () => {
  it("functions, function_call and function messages", () => {
    const body = {
      model: "gpt-4o",
      messages: [
        hello,
        { role: "assistant", content: null, function_call: { name: "f", arguments: "{}" } },
        { role: "function", name: "f", content: "42" },
      ],
      functions: [{ name: "f", parameters: { type: "object" } }],
      function_call: "auto",
    };
    expect(toOpenAIRequest(parseChatRequest(body).request, "gpt-4o")).toStrictEqual(body);
  });
});
