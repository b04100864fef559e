import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { parseChatRequest } from "../../../src/dialects/openai-chat/parse-chat-request.js";
import { toOpenAIRequest } from "../../../src/providers/openai/to-openai-request.js";
import { anyText } from "../../arbitraries/text.js";
import { wireJson } from "../../helpers/wire-fixtures.js";

type Json = Record<string, unknown>;

const hello = { role: "user", content: "Hello" };
const base: Json = { model: "gpt-4o", messages: [hello] };
const variants = wireJson<Json>("openai/chat_request_tool_choice_variants.json");
const weatherTool = { type: "function", function: { name: "get_weather" } };

const parse = (body: Json) => parseChatRequest({ ...base, ...body }).request;

function refusal(body: unknown): InvalidRequestError {
  try {
    parseChatRequest(body);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("the body was accepted");
}

describe("parseChatRequest accepts", () => {
  it("the full example request (chat_request_full.json)", () => {
    const { request, stream } = parseChatRequest(wireJson("openai/chat_request_full.json"));
    expect(stream).toBe(true);
    expect(request.$typeName).toBe("openbedrock.v1.ChatCompletionRequest");
    expect(request.model).toBe("anthropic.claude-3-5-sonnet-20240620-v1:0");
    expect(request.messages.map((message) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    expect(request.messages[0]?.content).toBe("You are a concise weather assistant.");
    expect(request.messages[1]?.content).toBeUndefined();
    expect(request.messages[1]?.contentParts.map((part) => part.type)).toEqual(["text", "image_url"]);
    expect(request.messages[1]?.contentParts[1]?.imageUrl?.detail).toBe("auto");
    expect(request.messages[1]?.contentParts[1]?.imageUrl?.url).toMatch(/^data:image\/png;base64,/);
    expect(request.messages[2]?.content).toBeUndefined();
    expect(request.messages[2]?.toolCalls[0]).toMatchObject({
      id: "call_7QmZ1cA3pLx0vN2sR9tYk4Ew",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
    });
    expect(request.messages[3]?.toolCallId).toBe("call_7QmZ1cA3pLx0vN2sR9tYk4Ew");
    expect(request.tools[0]?.function?.parameters).toMatchObject({ type: "object", required: ["city"] });
    expect(request.toolChoice?.type).toBe("auto");
    expect(request.temperature).toBe(0.7);
    expect(request.topP).toBe(0.9);
    expect(request.maxCompletionTokens).toBe(512);
    expect(request.maxTokens).toBeUndefined();
    expect(request.stop).toEqual(["\n\nUser:"]);
    expect(request.streamOptions?.includeUsage).toBe(true);
  });

  it("a body with only messages: no model, not streaming, nothing else set", () => {
    const { request, stream } = parseChatRequest({ messages: [hello] });
    expect(stream).toBe(false);
    expect(request.model).toBe("");
    expect(request.stream).toBe(false);
    for (const field of [
      "temperature",
      "topP",
      "maxTokens",
      "maxCompletionTokens",
      "n",
      "presencePenalty",
      "frequencyPenalty",
      "seed",
      "parallelToolCalls",
      "topK",
      "streamOptions",
      "responseFormat",
      "toolChoice",
    ] as const) {
      expect(request[field]).toBeUndefined();
    }
    expect(request.stop).toEqual([]);
    expect(request.tools).toEqual([]);
  });

  it("string and array content", () => {
    const forms = variants.user_message_content_forms as Json;
    expect(parse({ messages: [{ role: "user", content: forms.string }] }).messages[0]?.content).toBe("Hello");
    const parts = parse({ messages: [{ role: "user", content: forms.parts }] }).messages[0]?.contentParts;
    expect(parts?.map((part) => [part.type, part.text, part.imageUrl?.url, part.imageUrl?.detail])).toEqual([
      ["text", "Describe this:", undefined, undefined],
      ["image_url", "", "https://example.com/cat.png", ""],
      ["image_url", "", "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ...", "low"],
    ]);
  });

  it("image_url as a bare string, as the early API sent it", () => {
    const parts = parse({
      messages: [{ role: "user", content: [{ type: "image_url", image_url: "https://example.com/cat.png" }] }],
    }).messages[0]?.contentParts;
    expect(parts?.[0]?.imageUrl?.url).toBe("https://example.com/cat.png");
    expect(parts?.[0]?.imageUrl?.detail).toBe("");
  });

  it("null content on an assistant message with tool calls, and null optional fields", () => {
    const message = parse({
      messages: [
        hello,
        {
          role: "assistant",
          content: null,
          name: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
      ],
      temperature: null,
      stop: null,
      tools: null,
      tool_choice: null,
      stream_options: null,
      response_format: null,
      seed: null,
      user: null,
    });
    expect(message.messages[1]?.content).toBeUndefined();
    expect(message.messages[1]?.toolCalls).toHaveLength(1);
    expect(message.temperature).toBeUndefined();
    expect(message.stop).toEqual([]);
    expect(message.toolChoice).toBeUndefined();
    expect(message.streamOptions).toBeUndefined();
  });

  it.each([
    ["string_none", { type: "none" }, ["get_weather"]],
    ["string_auto", { type: "auto" }, ["get_weather"]],
    ["string_required", { type: "required" }, ["get_weather"]],
    ["named_function", { type: "function", function: { name: "get_weather" } }, ["get_weather"]],
    // The allowed tools become the tools, the mode becomes the choice.
    ["allowed_tools_newer_form", { type: "auto" }, ["get_weather"]],
  ])("tool_choice in the form %s", (name, choice, toolNames) => {
    const request = parse({
      tools: [weatherTool, { type: "function", function: { name: "get_time" } }],
      tool_choice: variants[name],
    });
    expect(request.toolChoice).toMatchObject(choice);
    const expected = name === "allowed_tools_newer_form" ? toolNames : ["get_weather", "get_time"];
    expect(request.tools.map((tool) => tool.function?.name)).toEqual(expected);
  });

  it("allowed_tools with mode required, and without a mode", () => {
    const tools = [weatherTool, { type: "function", function: { name: "get_time" } }];
    const allowed = (allowedTools: Json) =>
      parse({ tools, tool_choice: { type: "allowed_tools", allowed_tools: allowedTools } });
    const required = allowed({ mode: "required", tools: [{ type: "function", function: { name: "get_time" } }] });
    expect(required.toolChoice?.type).toBe("required");
    expect(required.tools.map((tool) => tool.function?.name)).toEqual(["get_time"]);
    expect(allowed({ tools: [] }).toolChoice?.type).toBe("auto");
    expect(allowed({ tools: [] }).tools).toEqual([]);
  });

  it.each([
    ["string", ["\n\nUser:"]],
    ["array_max_4", ["\n\nUser:", "###"]],
    ["null", []],
  ])("stop as %s", (form, expected) => {
    expect(parse({ stop: (variants.stop_forms as Json)[form] }).stop).toEqual(expected);
  });

  it("both token limits, each under its own field", () => {
    const forms = variants.max_tokens_forms as Record<string, Json>;
    const legacy = parse({ ...forms.legacy_deprecated });
    expect(legacy.maxTokens).toBe(512);
    expect(legacy.maxCompletionTokens).toBeUndefined();
    const current = parse({ ...forms.current });
    expect(current.maxCompletionTokens).toBe(512);
    expect(current.maxTokens).toBeUndefined();
  });

  it("stream_options, seed, response_format and the other scalar parameters", () => {
    const request = parse({
      stream: true,
      stream_options: { include_usage: false },
      seed: -9007199254740991,
      n: 3,
      presence_penalty: -1,
      frequency_penalty: 0.5,
      parallel_tool_calls: false,
      top_k: 40,
      user: "user-1",
      reasoning_effort: "high",
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", description: "An answer", schema: { type: "object" }, strict: true },
      },
    });
    expect(request.stream).toBe(true);
    expect(request.streamOptions?.includeUsage).toBe(false);
    expect(request.seed).toBe(-9007199254740991n);
    expect(request).toMatchObject({
      n: 3,
      presencePenalty: -1,
      frequencyPenalty: 0.5,
      parallelToolCalls: false,
      topK: 40,
      user: "user-1",
      reasoningEffort: "high",
    });
    expect(request.responseFormat).toMatchObject({
      type: "json_schema",
      jsonSchema: { name: "answer", description: "An answer", schema: { type: "object" }, strict: true },
    });
    expect(parse({ response_format: { type: "json_object" } }).responseFormat?.type).toBe("json_object");
  });

  it("fields it does not map, as they are, in the extensions of the object they belong to", () => {
    const request = parse({
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { "50256": -100 },
      metadata: { a: "b" },
      store: false,
      service_tier: "auto",
      a_field_from_next_year: { nested: [1, null] },
      stream_options: { include_usage: true, include_obfuscation: false },
      messages: [
        { role: "user", content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] },
        { role: "assistant", content: "Hi", refusal: null, annotations: [] },
      ],
      tools: [{ type: "custom", custom: { name: "grammar" } }],
    });
    expect(request.extensions).toStrictEqual({
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { "50256": -100 },
      metadata: { a: "b" },
      store: false,
      service_tier: "auto",
      a_field_from_next_year: { nested: [1, null] },
    });
    expect(request.streamOptions?.includeUsage).toBe(true);
    expect(request.streamOptions?.extensions).toStrictEqual({ include_obfuscation: false });
    expect(request.messages[0]?.contentParts[0]).toMatchObject({
      type: "input_audio",
      extensions: { input_audio: { data: "AAAA", format: "wav" } },
    });
    expect(request.messages[1]?.extensions).toStrictEqual({ refusal: null, annotations: [] });
    expect(request.tools[0]).toMatchObject({ type: "custom", extensions: { custom: { name: "grammar" } } });
    expect(request.tools[0]?.function).toBeUndefined();
  });

  it("no extensions when every field is mapped", () => {
    const request = parse({ temperature: 0.5 });
    expect(request.extensions).toBeUndefined();
    expect(request.messages[0]?.extensions).toBeUndefined();
  });

  it("cache_control on parts and tools, file parts, reasoning and thinking blocks", () => {
    const request = parse({
      messages: [
        {
          role: "system",
          content: [{ type: "text", text: "Rules", cache_control: { type: "ephemeral", ttl: "1h" } }],
        },
        {
          role: "user",
          content: [
            { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
            { type: "text", text: "Summarise", cache_control: { type: "ephemeral" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          reasoning_content: "Let me think",
          thinking_blocks: [
            { type: "thinking", thinking: "Let me think", signature: "sig" },
            { type: "redacted_thinking", data: "ENCRYPTED" },
          ],
          tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
      ],
      tools: [{ type: "function", function: { name: "f" }, cache_control: { type: "ephemeral" } }],
    });
    expect(request.messages[0]?.contentParts[0]?.cacheControl).toMatchObject({ type: "ephemeral", ttl: "1h" });
    expect(request.messages[1]?.contentParts[0]?.file).toMatchObject({
      fileData: "data:application/pdf;base64,JVBERi0=",
      fileId: "",
      filename: "a.pdf",
    });
    expect(request.messages[1]?.contentParts[1]?.cacheControl).toMatchObject({ type: "ephemeral", ttl: "" });
    expect(request.messages[2]?.reasoningContent).toBe("Let me think");
    expect(
      request.messages[2]?.thinkingBlocks.map(({ type, thinking, signature, data }) => ({
        type,
        thinking,
        signature,
        data,
      })),
    ).toStrictEqual([
      { type: "thinking", thinking: "Let me think", signature: "sig", data: "" },
      { type: "redacted_thinking", thinking: "", signature: "", data: "ENCRYPTED" },
    ]);
    expect(request.tools[0]?.cacheControl).toMatchObject({ type: "ephemeral" });
  });
});

describe("parseChatRequest refuses a wrong type", () => {
  const toolCall = { id: "c1", type: "function", function: { name: "f", arguments: "{}" } };
  const cases: [string, Json, string][] = [
    ["model", { model: 4 }, "model"],
    ["messages", { messages: "Hello" }, "messages"],
    ["a message", { messages: [hello, "Hello"] }, "messages.[1]"],
    ["a role", { messages: [hello, hello, { role: 1, content: "x" }] }, "messages.[2].role"],
    ["content", { messages: [{ role: "user", content: 5 }] }, "messages.[0].content"],
    ["content as an object", { messages: [{ role: "user", content: { text: "x" } }] }, "messages.[0].content"],
    ["a content part", { messages: [{ role: "user", content: ["x"] }] }, "messages.[0].content.[0]"],
    ["a part's type", { messages: [{ role: "user", content: [{ type: 1 }] }] }, "messages.[0].content.[0].type"],
    [
      "a part's text",
      { messages: [{ role: "user", content: [{ type: "text", text: ["x"] }] }] },
      "messages.[0].content.[0].text",
    ],
    [
      "image_url",
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "image_url", image_url: 7 },
            ],
          },
        ],
      },
      "messages.[0].content.[1].image_url",
    ],
    [
      "image_url.url",
      { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: 7 } }] }] },
      "messages.[0].content.[0].image_url.url",
    ],
    [
      "image_url.detail",
      { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "u", detail: 1 } }] }] },
      "messages.[0].content.[0].image_url.detail",
    ],
    ["name", { messages: [{ role: "user", content: "x", name: 1 }] }, "messages.[0].name"],
    ["tool_call_id", { messages: [{ role: "tool", content: "x", tool_call_id: 1 }] }, "messages.[0].tool_call_id"],
    ["tool_calls", { messages: [{ role: "assistant", tool_calls: {} }] }, "messages.[0].tool_calls"],
    ["a tool call", { messages: [{ role: "assistant", tool_calls: [toolCall, 1] }] }, "messages.[0].tool_calls.[1]"],
    [
      "a tool call's id",
      { messages: [{ role: "assistant", tool_calls: [{ ...toolCall, id: 1 }] }] },
      "messages.[0].tool_calls.[0].id",
    ],
    [
      "a tool call's function",
      { messages: [{ role: "assistant", tool_calls: [{ ...toolCall, function: "f" }] }] },
      "messages.[0].tool_calls.[0].function",
    ],
    [
      "a tool call's arguments as an object",
      { messages: [{ role: "assistant", tool_calls: [{ ...toolCall, function: { name: "f", arguments: {} } }] }] },
      "messages.[0].tool_calls.[0].function.arguments",
    ],
    ["tools", { tools: { type: "function" } }, "tools"],
    ["a tool", { tools: [weatherTool, "get_time"] }, "tools.[1]"],
    ["a tool's type", { tools: [{ type: 1, function: { name: "f" } }] }, "tools.[0].type"],
    ["a tool's function", { tools: [{ type: "function", function: [] }] }, "tools.[0].function"],
    ["a tool's name", { tools: [{ type: "function", function: { name: 1 } }] }, "tools.[0].function.name"],
    [
      "a tool's description",
      { tools: [{ type: "function", function: { name: "f", description: 1 } }] },
      "tools.[0].function.description",
    ],
    [
      "a tool's parameters",
      { tools: [{ type: "function", function: { name: "f", parameters: "{}" } }] },
      "tools.[0].function.parameters",
    ],
    [
      "a tool's strict",
      { tools: [{ type: "function", function: { name: "f", strict: "yes" } }] },
      "tools.[0].function.strict",
    ],
    ["tool_choice", { tool_choice: 1 }, "tool_choice"],
    ["tool_choice as an array", { tool_choice: ["auto"] }, "tool_choice"],
    ["tool_choice.type", { tool_choice: { type: 1 } }, "tool_choice.type"],
    ["tool_choice.function", { tool_choice: { type: "function", function: "f" } }, "tool_choice.function"],
    [
      "tool_choice.function.name",
      { tool_choice: { type: "function", function: { name: 1 } } },
      "tool_choice.function.name",
    ],
    ["allowed_tools", { tool_choice: { type: "allowed_tools", allowed_tools: [] } }, "tool_choice.allowed_tools"],
    [
      "allowed_tools.mode",
      { tool_choice: { type: "allowed_tools", allowed_tools: { mode: 1, tools: [] } } },
      "tool_choice.allowed_tools.mode",
    ],
    [
      "an allowed tool",
      { tool_choice: { type: "allowed_tools", allowed_tools: { tools: ["f"] } } },
      "tool_choice.allowed_tools.tools.[0]",
    ],
    ["stop", { stop: 1 }, "stop"],
    ["a stop sequence", { stop: ["a", 1] }, "stop"],
    ["temperature", { temperature: "0.7" }, "temperature"],
    ["top_p", { top_p: true }, "top_p"],
    ["max_tokens", { max_tokens: 1.5 }, "max_tokens"],
    ["max_tokens as a string", { max_tokens: "100" }, "max_tokens"],
    ["max_completion_tokens", { max_completion_tokens: "512" }, "max_completion_tokens"],
    ["n", { n: 1.5 }, "n"],
    ["presence_penalty", { presence_penalty: "0" }, "presence_penalty"],
    ["frequency_penalty", { frequency_penalty: [] }, "frequency_penalty"],
    ["seed", { seed: 1.5 }, "seed"],
    ["seed beyond a safe integer", { seed: 2 ** 60 }, "seed"],
    ["seed as a string", { seed: "42" }, "seed"],
    ["top_k", { top_k: 0.5 }, "top_k"],
    ["parallel_tool_calls", { parallel_tool_calls: "true" }, "parallel_tool_calls"],
    ["stream", { stream: "true" }, "stream"],
    ["stream_options", { stream_options: true }, "stream_options"],
    ["stream_options.include_usage", { stream_options: { include_usage: 1 } }, "stream_options.include_usage"],
    ["response_format", { response_format: "json_object" }, "response_format"],
    ["response_format.type", { response_format: { type: 1 } }, "response_format.type"],
    [
      "response_format.json_schema",
      { response_format: { type: "json_schema", json_schema: "x" } },
      "response_format.json_schema",
    ],
    [
      "response_format.json_schema.name",
      { response_format: { type: "json_schema", json_schema: { name: 1 } } },
      "response_format.json_schema.name",
    ],
    [
      "response_format.json_schema.schema",
      { response_format: { type: "json_schema", json_schema: { name: "a", schema: [] } } },
      "response_format.json_schema.schema",
    ],
    [
      "response_format.json_schema.strict",
      { response_format: { type: "json_schema", json_schema: { name: "a", strict: "no" } } },
      "response_format.json_schema.strict",
    ],
    ["user", { user: 42 }, "user"],
    ["reasoning_effort", { reasoning_effort: 1 }, "reasoning_effort"],
  ];

  it.each(cases)("%s, naming it", (_name, body, param) => {
    const error = refusal({ ...base, ...body });
    expect(error.param).toBe(param);
    expect(error.code).toBe("invalid_type");
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain(`'${param}'`);
  });

  it("says what it expected and what it got", () => {
    expect(refusal({ ...base, temperature: "0.7" }).message).toBe(
      "Invalid type for 'temperature': expected a number, but got a string instead.",
    );
    expect(refusal({ ...base, max_tokens: 1.5 }).message).toBe(
      "Invalid type for 'max_tokens': expected an integer, but got a decimal instead.",
    );
    expect(refusal({ ...base, messages: [null] }).message).toBe(
      "Invalid type for 'messages.[0]': expected an object, but got null instead.",
    );
  });

  it.each([[], "text", 42, null, true])("a body that is not an object (%j)", (body) => {
    const error = refusal(body);
    expect(error.code).toBe("invalid_type");
    expect(error.param).toBeNull();
    expect(error.message).toMatch(
      /^The request body must be a JSON object, but it is (an array|a string|a number|null|a boolean)\.$/,
    );
  });
});

describe("parseChatRequest refuses missing or unsupported values", () => {
  it.each<[string, unknown, string, string]>([
    ["messages", { model: "gpt-4o" }, "messages", "missing_required_parameter"],
    ["a role", { messages: [{ content: "x" }] }, "messages.[0].role", "missing_required_parameter"],
    [
      "a part's type",
      { messages: [{ role: "user", content: [{ text: "x" }] }] },
      "messages.[0].content.[0].type",
      "missing_required_parameter",
    ],
    [
      "a text part's text",
      { messages: [{ role: "user", content: [{ type: "text" }] }] },
      "messages.[0].content.[0].text",
      "missing_required_parameter",
    ],
    [
      "an image part's image_url",
      { messages: [{ role: "user", content: [{ type: "image_url" }] }] },
      "messages.[0].content.[0].image_url",
      "invalid_type",
    ],
    [
      "an image's url",
      { messages: [{ role: "user", content: [{ type: "image_url", image_url: {} }] }] },
      "messages.[0].content.[0].image_url.url",
      "missing_required_parameter",
    ],
    ["tool_choice.type", { messages: [hello], tool_choice: {} }, "tool_choice.type", "missing_required_parameter"],
    [
      "response_format.type",
      { messages: [hello], response_format: {} },
      "response_format.type",
      "missing_required_parameter",
    ],
  ])("%s", (_name, body, param, code) => {
    const error = refusal(body);
    expect(error.param).toBe(param);
    expect(error.code).toBe(code);
  });
});

describe("parseChatRequest properties", () => {
  const text = anyText(24);
  const nonEmpty = anyText(16, 1);
  const toolName = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  const textPart = text.map((value) => ({ type: "text", text: value }));
  const imagePart = fc
    .record(
      {
        url: fc.oneof(
          nonEmpty.map((path) => `https://example.com/${path}`),
          fc.constant("data:image/png;base64,iVBORw0KGgo="),
        ),
        detail: fc.constantFrom("auto", "low", "high"),
      },
      { requiredKeys: ["url"] },
    )
    .map((image) => ({ type: "image_url", image_url: image }));
  const toolCall = fc.record({
    id: nonEmpty,
    type: fc.constant("function"),
    function: fc.record({ name: toolName, arguments: text }),
  });
  const named = <T extends Json>(message: fc.Arbitrary<T>) =>
    fc
      .tuple(message, fc.option(nonEmpty, { nil: undefined }))
      .map(([m, name]) => (name === undefined ? m : { ...m, name }));

  const message = fc.oneof(
    named(
      fc.record({
        role: fc.constantFrom("system", "developer"),
        content: fc.oneof(text, fc.array(textPart, { minLength: 1, maxLength: 3 })),
      }),
    ),
    named(
      fc.record({
        role: fc.constant("user"),
        content: fc.oneof(text, fc.array(fc.oneof(textPart, imagePart), { minLength: 1, maxLength: 4 })),
      }),
    ),
    named(fc.record({ role: fc.constant("assistant"), content: text })),
    named(
      fc.record({
        role: fc.constant("assistant"),
        content: fc.oneof(fc.constant(null), text),
        tool_calls: fc.array(toolCall, { minLength: 1, maxLength: 3 }),
      }),
    ),
    fc.record({
      role: fc.constant("tool"),
      tool_call_id: nonEmpty,
      content: fc.oneof(text, fc.array(textPart, { minLength: 1, maxLength: 2 })),
    }),
  );
  const jsonObject = fc.dictionary(anyText(8), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
  const tool = fc.record({
    type: fc.constant("function"),
    function: fc.record(
      { name: toolName, description: nonEmpty, parameters: jsonObject, strict: fc.boolean() },
      { requiredKeys: ["name"] },
    ),
  });
  const toolChoice = fc.oneof(
    fc.constantFrom("none", "auto", "required"),
    toolName.map((name) => ({ type: "function", function: { name } })),
    fc.record({
      type: fc.constant("allowed_tools"),
      allowed_tools: fc.record({
        mode: fc.constantFrom("auto", "required"),
        tools: fc.array(
          toolName.map((name) => ({ type: "function", function: { name } })),
          { maxLength: 3 },
        ),
      }),
    }),
  );
  const responseFormat = fc.oneof(
    fc.constantFrom({ type: "text" }, { type: "json_object" }),
    fc.record({
      type: fc.constant("json_schema"),
      json_schema: fc.record(
        { name: toolName, description: nonEmpty, schema: jsonObject, strict: fc.boolean() },
        { requiredKeys: ["name"] },
      ),
    }),
  );
  const penalty = fc.double({ min: -2, max: 2, noNaN: true });
  const tokens = fc.integer({ min: 1, max: 2 ** 31 - 1 });
  /** A valid OpenAI request body, as a client would send it. */
  const body = fc.record(
    {
      model: text,
      messages: fc.array(message, { minLength: 1, maxLength: 6 }),
      tools: fc.array(tool, { maxLength: 3 }),
      tool_choice: toolChoice,
      stop: fc.oneof(text, fc.array(text, { maxLength: 4 }), fc.constant(null)),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      top_p: fc.double({ min: 0, max: 1, noNaN: true }),
      max_tokens: tokens,
      max_completion_tokens: tokens,
      n: fc.integer({ min: 1, max: 128 }),
      presence_penalty: penalty,
      frequency_penalty: penalty,
      seed: fc.maxSafeInteger(),
      user: text,
      parallel_tool_calls: fc.boolean(),
      response_format: responseFormat,
      reasoning_effort: fc.constantFrom("minimal", "low", "medium", "high"),
    },
    { requiredKeys: ["messages"] },
  );

  /** What OpenAI must receive for a body: the body itself, in the one form each field is sent in. */
  function expectedUpstreamBody(sent: Json, model: string): Json {
    const expected: Json = { ...sent, model };
    let tools = (sent.tools as Json[] | undefined) ?? [];
    const choice = sent.tool_choice as Json | string | undefined;
    if (typeof choice === "object" && choice.type === "allowed_tools") {
      const allowed = choice.allowed_tools as { mode: string; tools: { function: { name: string } }[] };
      const names = new Set(allowed.tools.map((entry) => entry.function.name));
      tools = tools.filter((entry) => names.has((entry.function as Json).name as string));
      expected.tool_choice = allowed.mode;
    }
    if (tools.length > 0) expected.tools = tools;
    else delete expected.tools;
    if (tools.length === 0) delete expected.parallel_tool_calls;
    const stop = sent.stop;
    if (typeof stop === "string") expected.stop = [stop];
    else if (!Array.isArray(stop) || stop.length === 0) delete expected.stop;
    if (sent.user === "") delete expected.user;
    return expected;
  }

  it("keeps messages, tools, tool_choice, stop and sampling parameters from the OpenAI body to the upstream body", () => {
    fc.assert(
      fc.property(body, (generated) => {
        // The body as it arrives: through JSON, as a client sends it.
        const sent = JSON.parse(JSON.stringify(generated)) as Json;
        const { request } = parseChatRequest(sent);
        expect(toOpenAIRequest(request, "upstream-model")).toStrictEqual(expectedUpstreamBody(sent, "upstream-model"));
      }),
      { numRuns: 300 },
    );
  });

  it("answers any JSON body with a request or an InvalidRequestError, never anything else", () => {
    const field = fc.constantFrom(
      "model",
      "messages",
      "tools",
      "tool_choice",
      "stop",
      "temperature",
      "max_tokens",
      "seed",
      "stream",
      "stream_options",
      "response_format",
    );
    const mutated = fc
      .tuple(body, field, fc.jsonValue({ maxDepth: 3 }))
      .map(([valid, key, value]) => ({ ...JSON.parse(JSON.stringify(valid)), [key]: value }));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), mutated), (value) => {
        try {
          parseChatRequest(value);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidRequestError);
          expect((error as InvalidRequestError).code).toMatch(
            /^(invalid_type|invalid_value|missing_required_parameter)$/,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
