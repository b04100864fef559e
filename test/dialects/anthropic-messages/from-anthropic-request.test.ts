import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { validateChatRequest } from "../../../src/core/validate-request.js";
import { fromAnthropicRequest } from "../../../src/dialects/anthropic-messages/from-anthropic-request.js";
import { canonicalRequest, fixtureJson } from "../../providers/bedrock/wire-fixtures.js";
import { providerClaudeBody } from "../provider-bodies.js";

const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const invokeBody = () => fixtureJson("bedrock/claude_invoke_request.json");
const variants = fixtureJson<Record<string, unknown>>("bedrock/claude_request_variants.json");

const hello = { anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: "hi" }] };
const read = (body: Record<string, unknown>, query = {}) => fromAnthropicRequest(body, { model: MODEL, ...query });

function failure(body: unknown, query = { model: MODEL }): InvalidRequestError {
  try {
    fromAnthropicRequest(body, query);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("the body was accepted");
}

describe("fromAnthropicRequest", () => {
  it("reads the Bedrock Claude example into the request the OpenAI example makes", () => {
    const { request, stream } = read(invokeBody());
    expect(stream).toBe(false);
    validateChatRequest(request);
    const openai = canonicalRequest(fixtureJson("openai/chat_request_full.json"));
    expect(request.model).toBe(MODEL);
    expect(request.maxTokens).toBe(512);
    expect([request.temperature, request.topP, request.stop]).toEqual([0.7, 0.9, ["\n\nUser:"]]);
    expect(request.tools).toEqual(openai.tools);
    expect(request.toolChoice).toEqual(openai.toolChoice);
    expect(request.messages.map((message) => message.role)).toEqual(openai.messages.map((message) => message.role));
    expect(request.messages[1]?.contentParts.map((part) => part.imageUrl?.url ?? part.text)).toEqual(
      openai.messages[1]?.contentParts.map((part) => part.imageUrl?.url ?? part.text),
    );
    expect(request.messages[2]?.toolCalls[0]).toMatchObject({
      id: "toolu_bdrk_01MqHGzs8QwkdkVjJYrbLTPp",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
    });
    expect(request.messages[3]).toMatchObject({
      role: "tool",
      toolCallId: "toolu_bdrk_01MqHGzs8QwkdkVjJYrbLTPp",
      contentParts: [{ type: "text", text: '{"temperature":22,"conditions":"sunny"}' }],
    });
  });

  it("gives back the same Claude body when the Claude provider sends the request on", async () => {
    const { request } = read(invokeBody());
    expect(await providerClaudeBody(request)).toEqual(invokeBody());
  });

  it("takes the model from the body or the query, and refuses two different ones or none", () => {
    expect(fromAnthropicRequest({ ...hello, model: "openai/gpt-4o" }).request.model).toBe("openai/gpt-4o");
    expect(fromAnthropicRequest(hello, { model: MODEL }).request.model).toBe(MODEL);
    expect(fromAnthropicRequest({ ...hello, model: MODEL }, { model: MODEL }).request.model).toBe(MODEL);
    expect(failure({ ...hello, model: "gpt-4o" })).toMatchObject({ param: "model", code: "invalid_value" });
    expect(failure(hello, {} as { model: string })).toMatchObject({
      param: "model",
      code: "missing_required_parameter",
    });
  });

  it("streams when the body's stream field or the query asks", () => {
    expect(fromAnthropicRequest({ ...hello, stream: true }, { model: MODEL }).stream).toBe(true);
    expect(fromAnthropicRequest(hello, { model: MODEL, stream: true }).stream).toBe(true);
    expect(fromAnthropicRequest({ ...hello, stream: false }, { model: MODEL }).stream).toBe(false);
    expect(failure({ ...hello, stream: "yes" })).toMatchObject({ param: "stream", code: "invalid_type" });
  });

  it("reads system as a string or as text blocks", () => {
    const asString = read({ ...hello, system: variants.system_as_string }).request;
    expect(asString.messages[0]).toMatchObject({ role: "system", content: "You are helpful." });
    const asBlocks = read({ ...hello, system: variants.system_as_blocks }).request;
    expect(asBlocks.messages[0]?.contentParts.map((part) => part.text)).toEqual([
      "You are helpful.",
      "Answer in French.",
    ]);
    expect(read({ ...hello, system: "" }).request.messages).toHaveLength(1);
  });

  it("reads string content, tool results as strings and errors, and a prefilled assistant turn", () => {
    const { request } = read({
      ...hello,
      messages: [
        variants.message_content_as_string,
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_bdrk_01MqHGzs8QwkdkVjJYrbLTPp", name: "get_weather", input: {} }],
        },
        { role: "user", content: [variants.tool_result_content_as_string, variants.tool_result_error] },
        ...(variants.prefill_last_assistant as unknown[]),
      ],
    });
    expect(request.messages.map((message) => [message.role, message.content])).toEqual([
      ["user", "Hello, Claude"],
      ["assistant", undefined],
      ["tool", "22C sunny"],
      ["tool", "city not found"],
      ["user", "Please describe yourself using only JSON"],
      ["assistant", "Here is my JSON description:\n{"],
    ]);
    expect(request.messages[1]?.toolCalls[0]?.function?.arguments).toBe("{}");
  });

  it("puts a turn's tool results first, as tool messages, and its other blocks in one user message", () => {
    const { request } = read({
      ...hello,
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "get_weather", input: { city: "Paris" } }] },
        {
          role: "user",
          content: [
            { type: "text", text: "here you go" },
            { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "22C" }] },
          ],
        },
      ],
    });
    expect(request.messages.slice(2).map((message) => message.role)).toEqual(["tool", "user"]);
    validateChatRequest(request);
  });

  it("keeps several assistant text blocks as parts, and thinking blocks as the message's, to go back to Claude", () => {
    const { request } = read({
      ...hello,
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "sig" },
            { type: "text", text: "one" },
            { type: "text", text: "two" },
          ],
        },
        { role: "assistant", content: [{ type: "redacted_thinking", data: "xx" }] },
      ],
    });
    expect(request.messages).toHaveLength(3);
    expect(request.messages[1]?.contentParts.map((part) => part.text)).toEqual(["one", "two"]);
    const blocks = request.messages.flatMap((message) =>
      message.thinkingBlocks.map(({ type, thinking, signature, data }) => ({ type, thinking, signature, data })),
    );
    expect(blocks).toEqual([
      { type: "thinking", thinking: "hmm", signature: "sig", data: "" },
      { type: "redacted_thinking", thinking: "", signature: "", data: "xx" },
    ]);
  });

  it("reads Claude's own fields into extensions, cache_control on blocks and tools, and documents as file parts", () => {
    const { request } = read({
      ...hello,
      thinking: { type: "enabled", budget_tokens: 2048 },
      anthropic_beta: ["interleaved-thinking-2025-05-14"],
      system: [{ type: "text", text: "Rules", cache_control: { type: "ephemeral", ttl: "1h" } }],
      tools: [
        {
          name: "f",
          input_schema: { type: "object", properties: {} },
          cache_control: { type: "ephemeral" },
        },
      ],
      messages: [
        {
          role: "user",
          content: [
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
              title: "a.pdf",
            },
            { type: "document", source: { type: "text", media_type: "text/plain", data: "plain" } },
            { type: "text", text: "sum up", cache_control: { type: "ephemeral" } },
          ],
        },
      ],
    });
    expect(request.extensions).toEqual({
      thinking: { type: "enabled", budget_tokens: 2048 },
      anthropic_beta: ["interleaved-thinking-2025-05-14"],
    });
    expect(request.messages[0]?.contentParts[0]?.cacheControl).toMatchObject({ type: "ephemeral", ttl: "1h" });
    expect(request.tools[0]?.cacheControl).toMatchObject({ type: "ephemeral", ttl: "" });
    const parts = request.messages[1]?.contentParts ?? [];
    expect(parts[0]?.file).toMatchObject({ fileData: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" });
    expect(parts[1]?.file).toMatchObject({
      fileData: `data:text/plain;base64,${Buffer.from("plain").toString("base64")}`,
    });
    expect(parts[2]?.cacheControl).toMatchObject({ type: "ephemeral" });
  });

  it("reads image sources: base64 as a data URL, url as the URL", () => {
    const { request } = read({
      ...hello,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/gif", data: "R0lGODlhAQABAAAAACw=" } },
            { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
          ],
        },
      ],
    });
    expect(request.messages[0]?.contentParts.map((part) => part.imageUrl?.url)).toEqual([
      "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
      "https://example.com/cat.png",
    ]);
  });

  it.each([
    ["auto", variants.tool_choice_auto, { type: "auto" }, undefined],
    ["any", variants.tool_choice_any, { type: "required" }, undefined],
    ["tool", variants.tool_choice_tool, { type: "function", function: { name: "get_weather" } }, undefined],
    ["none", variants.tool_choice_none, { type: "none" }, undefined],
    ["auto without parallel calls", variants.tool_choice_with_parallel_disabled, { type: "auto" }, false],
  ])("maps tool_choice %s", (_name, choice, expected, parallel) => {
    const { request } = read({ ...hello, tools: [variants.tool_definition_custom_type], tool_choice: choice });
    expect(request.toolChoice).toMatchObject(expected);
    expect(request.parallelToolCalls).toBe(parallel);
    expect(request.tools[0]?.function).toMatchObject({
      name: "get_weather",
      description: "...",
      parameters: { type: "object", properties: {} },
    });
  });

  it("maps sampling, limits, stop sequences and the user id", () => {
    const { request } = read({
      ...hello,
      temperature: 0,
      top_p: 1,
      top_k: 40,
      stop_sequences: ["END"],
      metadata: { user_id: "u-1" },
    });
    expect(request).toMatchObject({ temperature: 0, topP: 1, topK: 40, stop: ["END"], user: "u-1", maxTokens: 100 });
  });

  it("ignores what it does not carry: betas, cache_control, citations, unknown keys", () => {
    const { request } = read({
      ...hello,
      anthropic_beta: ["token-efficient-tools-2025-02-19"],
      thinking: { type: "disabled" },
      messages: [
        { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" }, citations: [] }] },
      ],
      service_tier: "auto",
    });
    expect(request.messages[0]?.contentParts[0]?.text).toBe("hi");
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["anthropic_version not a string", { anthropic_version: 1 }, "anthropic_version", "invalid_type"],
    ["no max_tokens", { max_tokens: undefined }, "max_tokens", "missing_required_parameter"],
    ["max_tokens 0", { max_tokens: 0 }, "max_tokens", "invalid_value"],
    ["no messages", { messages: undefined }, "messages", "missing_required_parameter"],
    ["empty messages", { messages: [] }, "messages", "invalid_value"],
    ["a message that is not an object", { messages: ["hi"] }, "messages.[0]", "invalid_type"],
    ["a system role", { messages: [{ role: "system", content: "x" }] }, "messages.[0].role", "invalid_value"],
    ["no content", { messages: [{ role: "user" }] }, "messages.[0].content", "missing_required_parameter"],
    ["empty user content", { messages: [{ role: "user", content: [] }] }, "messages.[0].content", "invalid_value"],
    ["content a number", { messages: [{ role: "user", content: 3 }] }, "messages.[0].content", "invalid_type"],
    [
      "an unknown block",
      { messages: [{ role: "user", content: [{ type: "text", text: "a" }, { type: "video" }] }] },
      "messages.[0].content.[1].type",
      "invalid_value",
    ],
    [
      "a text block without text",
      { messages: [{ role: "user", content: [{ type: "text" }] }] },
      "messages.[0].content.[0].text",
      "missing_required_parameter",
    ],
    [
      "bad base64 image data",
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: "not base64!" } },
            ],
          },
        ],
      },
      "messages.[0].content.[1].source.data",
      "invalid_value",
    ],
    [
      "an unsupported image type",
      {
        messages: [
          {
            role: "user",
            content: [{ type: "image", source: { type: "base64", media_type: "image/bmp", data: "AA==" } }],
          },
        ],
      },
      "messages.[0].content.[0].source.media_type",
      "invalid_value",
    ],
    [
      "an image URL that is not http(s)",
      {
        messages: [{ role: "user", content: [{ type: "image", source: { type: "url", url: "file:///etc/passwd" } }] }],
      },
      "messages.[0].content.[0].source.url",
      "invalid_value",
    ],
    [
      "an image without a source",
      { messages: [{ role: "user", content: [{ type: "image" }] }] },
      "messages.[0].content.[0].source",
      "missing_required_parameter",
    ],
    [
      "a document block without a source type",
      { messages: [{ role: "user", content: [{ type: "document", source: {} }] }] },
      "messages.[0].content.[0].source.type",
      "missing_required_parameter",
    ],
    [
      "a document with citations",
      {
        messages: [
          {
            role: "user",
            content: [
              {
                type: "document",
                source: { type: "text", media_type: "text/plain", data: "x" },
                citations: { enabled: true },
              },
            ],
          },
        ],
      },
      "messages.[0].content.[0].citations",
      "unsupported_parameter",
    ],
    [
      "metadata other than user_id",
      { metadata: { user_id: "u", tags: ["a"] } },
      "metadata.tags",
      "unsupported_parameter",
    ],
    [
      "an image in a tool result",
      {
        messages: [
          {
            role: "user",
            content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "image", source: {} }] }],
          },
        ],
      },
      "messages.[0].content.[0].content.[0].type",
      "unsupported_parameter",
    ],
    [
      "a tool result without its tool_use_id",
      { messages: [{ role: "user", content: [{ type: "tool_result", content: "x" }] }] },
      "messages.[0].content.[0].tool_use_id",
      "missing_required_parameter",
    ],
    [
      "a tool_use block in a user message",
      { messages: [{ role: "user", content: [{ type: "tool_use", id: "t", name: "f", input: {} }] }] },
      "messages.[0].content.[0].type",
      "invalid_value",
    ],
    [
      "an image in an assistant message",
      {
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: [{ type: "image", source: {} }] },
        ],
      },
      "messages.[1].content.[0].type",
      "invalid_value",
    ],
    [
      "tool_use input that is not an object",
      {
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: "x" }] },
        ],
      },
      "messages.[1].content.[0].input",
      "invalid_type",
    ],
    ["temperature above 1", { temperature: 1.5 }, "temperature", "invalid_value"],
    ["top_p a string", { top_p: "high" }, "top_p", "invalid_type"],
    ["top_k 0", { top_k: 0 }, "top_k", "invalid_value"],
    ["stop_sequences a string", { stop_sequences: "END" }, "stop_sequences", "invalid_type"],
    ["a stop sequence not a string", { stop_sequences: ["a", 1] }, "stop_sequences.[1]", "invalid_type"],
    ["five stop sequences", { stop_sequences: ["a", "b", "c", "d", "e"] }, "stop_sequences", "invalid_value"],
    ["tools not an array", { tools: {} }, "tools", "invalid_type"],
    [
      "an Anthropic-defined tool",
      { tools: [{ type: "bash_20250124", name: "bash" }] },
      "tools.[0].type",
      "unsupported_parameter",
    ],
    ["a tool without input_schema", { tools: [{ name: "f" }] }, "tools.[0].input_schema", "missing_required_parameter"],
    [
      "a tool schema that is not an object schema",
      { tools: [{ name: "f", input_schema: { type: "string" } }] },
      "tools.[0].input_schema.type",
      "invalid_value",
    ],
    [
      "a tool name with spaces",
      { tools: [{ name: "get weather", input_schema: { type: "object" } }] },
      "tools.[0].name",
      "invalid_value",
    ],
    ["an unknown tool_choice", { tool_choice: { type: "sometimes" } }, "tool_choice.type", "invalid_value"],
    ["tool_choice any without tools", { tool_choice: { type: "any" } }, "tool_choice.type", "invalid_value"],
    [
      "tool_choice naming a tool not given",
      { tools: [{ name: "f", input_schema: { type: "object" } }], tool_choice: { type: "tool", name: "g" } },
      "tool_choice.name",
      "invalid_value",
    ],
  ])("refuses %s, naming the field", (_name, change, param, code) => {
    const body: Record<string, unknown> = { ...hello, ...change };
    for (const key of Object.keys(change)) if (change[key] === undefined) delete body[key];
    const error = failure(body);
    expect({ param: error.param, code: error.code }).toEqual({ param, code });
    expect(error.message).toContain(param);
  });

  it("refuses a body that is not an object", () => {
    expect(() => fromAnthropicRequest([1, 2])).toThrow(InvalidRequestError);
  });
});
