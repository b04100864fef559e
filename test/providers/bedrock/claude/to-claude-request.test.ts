import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema } from "../../../../gen/openbedrock/v1/chat_pb.js";
import { CLAUDE_DEFAULT_MAX_TOKENS } from "../../../../src/providers/bedrock/generation-limits.js";
import { canonicalRequest, claudeBody, fixtureJson } from "../wire-fixtures.js";

const weatherTool = {
  type: "function",
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
};
const ask = (extra: Record<string, unknown> = {}) =>
  canonicalRequest({
    model: "anthropic.claude-3-haiku-20240307-v1:0",
    messages: [{ role: "user", content: "hi" }],
    ...extra,
  });

const toolHistory = [
  { role: "user", content: "weather in Paris?" },
  {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
  },
  { role: "tool", tool_call_id: "call_1", content: "22C" },
];

describe("toClaudeRequest", () => {
  it("turns the full OpenAI example into the Bedrock Claude example", async () => {
    const body = await claudeBody(canonicalRequest(fixtureJson("openai/chat_request_full.json")));
    // The example's tool ids are Bedrock's own; a caller's ids pass through unchanged.
    const expected = JSON.parse(
      JSON.stringify(fixtureJson("bedrock/claude_invoke_request.json")).replaceAll(
        "toolu_bdrk_01MqHGzs8QwkdkVjJYrbLTPp",
        "call_7QmZ1cA3pLx0vN2sR9tYk4Ew",
      ),
    );
    expect(body).toEqual(expected);
  });

  it("gives max_tokens a default, and prefers max_completion_tokens to max_tokens", async () => {
    expect((await claudeBody(ask())).max_tokens).toBe(CLAUDE_DEFAULT_MAX_TOKENS);
    expect((await claudeBody(ask({ max_tokens: 100 }))).max_tokens).toBe(100);
    expect((await claudeBody(ask({ max_tokens: 100, max_completion_tokens: 200 }))).max_tokens).toBe(200);
  });

  it("sends several system and developer messages as system blocks, wherever they were", async () => {
    const body = await claudeBody(
      canonicalRequest({
        model: "m",
        messages: [
          { role: "system", content: "You are helpful." },
          { role: "user", content: "hi" },
          { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        ],
      }),
    );
    expect(body.system).toEqual([
      { type: "text", text: "You are helpful." },
      { type: "text", text: "Answer in French." },
    ]);
    expect(body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
  });

  it.each([
    ["auto", { type: "auto" }],
    ["required", { type: "any" }],
    [
      { type: "function", function: { name: "get_weather" } },
      { type: "tool", name: "get_weather" },
    ],
  ])("maps tool_choice %j to %j", async (choice, expected) => {
    const body = await claudeBody(ask({ tools: [weatherTool], tool_choice: choice }));
    expect(body.tool_choice).toEqual(expected);
    expect(body.tools?.[0]).toEqual({
      name: "get_weather",
      input_schema: { type: "object", properties: { city: { type: "string" } } },
    });
  });

  it("leaves tool_choice out when absent (Claude's default is auto)", async () => {
    const body = await claudeBody(ask({ tools: [weatherTool] }));
    expect(body.tools).toHaveLength(1);
    expect(body).not.toHaveProperty("tool_choice");
  });

  it("sends no tools for tool_choice none, unless the history needs them (then unforced: Bedrock has no none)", async () => {
    const plain = await claudeBody(ask({ tools: [weatherTool], tool_choice: "none" }));
    expect(plain).not.toHaveProperty("tools");
    expect(plain).not.toHaveProperty("tool_choice");
    const withHistory = await claudeBody(
      canonicalRequest({ model: "m", messages: toolHistory, tools: [weatherTool], tool_choice: "none" }),
    );
    expect(withHistory.tools).toHaveLength(1);
    expect(withHistory).not.toHaveProperty("tool_choice");
  });

  it("maps parallel_tool_calls false to disable_parallel_tool_use", async () => {
    expect((await claudeBody(ask({ tools: [weatherTool], parallel_tool_calls: false }))).tool_choice).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(
      (await claudeBody(ask({ tools: [weatherTool], tool_choice: "required", parallel_tool_calls: false })))
        .tool_choice,
    ).toEqual({ type: "any", disable_parallel_tool_use: true });
  });

  it("defines the tools a history used when the caller sends none", async () => {
    const body = await claudeBody(canonicalRequest({ model: "m", messages: toolHistory }));
    expect(body.tools).toEqual([{ name: "get_weather", input_schema: { type: "object", properties: {} } }]);
    expect(body.messages.at(-1)).toEqual({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "call_1", content: [{ type: "text", text: "22C" }] }],
    });
  });

  it("gives a tool without parameters an empty object schema", async () => {
    const body = await claudeBody(ask({ tools: [{ type: "function", function: { name: "now" } }] }));
    expect(body.tools).toEqual([{ name: "now", input_schema: { type: "object", properties: {} } }]);
  });

  it("maps stop, top_k and sampling, leaving out what was not asked", async () => {
    const body = await claudeBody(ask({ stop: ["END", ""], top_k: 40, temperature: 0, top_p: 1 }));
    expect(body).toMatchObject({ stop_sequences: ["END"], top_k: 40, temperature: 0, top_p: 1 });
    const bare = await claudeBody(
      create(ChatCompletionRequestSchema, { model: "m", messages: [{ role: "user", content: "x" }] }),
    );
    expect(Object.keys(bare).sort()).toEqual(["anthropic_version", "max_tokens", "messages"]);
  });

  it("writes thinking from the effort, cache_control where marked, documents, output_config and the end user", async () => {
    const pdf = Buffer.from("%PDF-1.4").toString("base64");
    const body = await claudeBody(
      canonicalRequest({
        model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        messages: [
          {
            role: "system",
            content: [{ type: "text", text: "Rules", cache_control: { type: "ephemeral", ttl: "1h" } }],
          },
          {
            role: "user",
            content: [
              { type: "file", file: { file_data: `data:application/pdf;base64,${pdf}`, filename: "a.pdf" } },
              { type: "text", text: "Sum up", cache_control: { type: "ephemeral" } },
            ],
          },
        ],
        reasoning_effort: "low",
        response_format: { type: "json_schema", json_schema: { name: "s", schema: { type: "object" } } },
        user: "u-1",
        tools: [
          { type: "function", function: { name: "f", strict: true }, cache_control: { type: "ephemeral", ttl: "1h" } },
        ],
      }),
    );
    expect(body).toMatchObject({
      max_tokens: 2048 + CLAUDE_DEFAULT_MAX_TOKENS,
      thinking: { type: "enabled", budget_tokens: 2048 },
      output_config: { format: { type: "json_schema", schema: { type: "object" } } },
      metadata: { user_id: "u-1" },
      system: [{ type: "text", text: "Rules", cache_control: { type: "ephemeral", ttl: "1h" } }],
      tools: [
        {
          name: "f",
          input_schema: { type: "object", properties: {} },
          strict: true,
          cache_control: { type: "ephemeral", ttl: "1h" },
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: pdf }, title: "a" },
      { type: "text", text: "Sum up", cache_control: { type: "ephemeral" } },
    ]);
  });

  it("sends an assistant's thinking blocks back first in its turn, before its text and tool calls", async () => {
    const body = await claudeBody(
      canonicalRequest({
        model: "us.anthropic.claude-sonnet-4-20250514-v1:0",
        messages: [
          { role: "user", content: "hi" },
          {
            role: "assistant",
            content: "Let me check.",
            thinking_blocks: [
              { type: "thinking", thinking: "t", signature: "s" },
              { type: "redacted_thinking", data: "d" },
            ],
            tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "" } }],
          },
          { role: "tool", tool_call_id: "c1", content: "ok" },
        ],
        tools: [{ type: "function", function: { name: "f" } }],
      }),
    );
    expect(body.messages[1]?.content).toEqual([
      { type: "thinking", thinking: "t", signature: "s" },
      { type: "redacted_thinking", data: "d" },
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "c1", name: "f", input: {} },
    ]);
  });

  it("writes a plain-text document as a text source, and refuses the formats Claude does not read", async () => {
    const text = (filename: string, mediaType: string) =>
      canonicalRequest({
        model: "us.anthropic.claude-sonnet-4-20250514-v1:0",
        messages: [
          {
            role: "user",
            content: [
              {
                type: "file",
                file: { file_data: `data:${mediaType};base64,${Buffer.from("a,b").toString("base64")}`, filename },
              },
            ],
          },
        ],
      });
    expect((await claudeBody(text("t.csv", "text/csv"))).messages[0]?.content).toEqual([
      { type: "document", source: { type: "text", media_type: "text/plain", data: "a,b" }, title: "t" },
    ]);
    await expect(claudeBody(text("t.xls", "application/vnd.ms-excel"))).rejects.toMatchObject({
      param: "messages.[0].content.[0].file",
      code: "unsupported_parameter",
    });
  });
});
