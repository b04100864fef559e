import { describe, expect, it } from "vitest";
import type { ConverseRequest } from "../../../../src/wire/bedrock-converse.js";
import { canonicalRequest, converseBody, fixtureJson } from "../wire-fixtures.js";

const weatherTool = {
  type: "function",
  function: { name: "get_weather", description: "Weather.", parameters: { type: "object", properties: {} } },
};
const ask = (extra: Record<string, unknown> = {}) =>
  canonicalRequest({ model: "amazon.nova-lite-v1:0", messages: [{ role: "user", content: "hi" }], ...extra });

describe("toConverseRequest", () => {
  it("turns the full OpenAI example into the Converse example", async () => {
    const body = await converseBody(canonicalRequest(fixtureJson("openai/chat_request_full.json")));
    const expected = fixtureJson<ConverseRequest>("bedrock/converse_request.json");
    // What the example shows beyond the OpenAI request: Bedrock's own tool id, a JSON tool
    // result with a Claude-only status, and model-specific fields no OpenAI parameter asks for.
    const adjusted = JSON.parse(
      JSON.stringify(expected).replaceAll("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "call_7QmZ1cA3pLx0vN2sR9tYk4Ew"),
    ) as ConverseRequest & Record<string, unknown>;
    adjusted.messages[2] = {
      role: "user",
      content: [
        {
          toolResult: {
            toolUseId: "call_7QmZ1cA3pLx0vN2sR9tYk4Ew",
            content: [{ text: '{"temperature":22,"conditions":"sunny"}' }],
          },
        },
      ],
    };
    delete adjusted.additionalModelRequestFields;
    delete adjusted.additionalModelResponseFieldPaths;
    expect(body).toEqual(adjusted);
  });

  it.each([
    ["auto", { auto: {} }],
    ["required", { any: {} }],
    [{ type: "function", function: { name: "get_weather" } }, { tool: { name: "get_weather" } }],
  ])("maps tool_choice %j to %j", async (choice, expected) => {
    const body = await converseBody(ask({ tools: [weatherTool], tool_choice: choice }));
    expect(body.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: "get_weather",
            description: "Weather.",
            inputSchema: { json: { type: "object", properties: {} } },
          },
        },
      ],
      toolChoice: expected,
    });
  });

  it("has no none: tool_choice none leaves the tools out unless the history needs them", async () => {
    expect(await converseBody(ask({ tools: [weatherTool], tool_choice: "none" }))).not.toHaveProperty("toolConfig");
    const body = await converseBody(
      canonicalRequest({
        model: "m",
        messages: [
          { role: "user", content: "weather?" },
          {
            role: "assistant",
            tool_calls: [{ id: "t1", type: "function", function: { name: "get_weather", arguments: "" } }],
          },
          { role: "tool", tool_call_id: "t1", content: "" },
        ],
        tool_choice: "none",
      }),
    );
    expect(body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: "get_weather", inputSchema: { json: { type: "object", properties: {} } } } }],
    });
    // Empty arguments are an empty object; an empty result cannot be blank text.
    expect(body.messages[1]?.content).toEqual([{ toolUse: { toolUseId: "t1", name: "get_weather", input: {} } }]);
    expect(body.messages[2]?.content).toEqual([{ toolResult: { toolUseId: "t1", content: [{ json: {} }] } }]);
  });

  it("maps the inference parameters and top_k, leaving out what was not asked", async () => {
    const body = await converseBody(ask({ max_tokens: 99, temperature: 0.2, top_p: 0.5, stop: ["x"], top_k: 7 }));
    expect(body.inferenceConfig).toEqual({ maxTokens: 99, temperature: 0.2, topP: 0.5, stopSequences: ["x"] });
    // Nova reads top_k under its own inferenceConfig.
    expect(body.additionalModelRequestFields).toEqual({ inferenceConfig: { topK: 7 } });
    expect(Object.keys(await converseBody(ask()))).toEqual(["messages"]);
  });

  it.each([
    ["mistral.mistral-large-2402-v1:0", { top_k: 7 }],
    ["cohere.command-r-v1:0", { k: 7 }],
    ["arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc", { top_k: 7 }],
  ])("sends top_k to %s as %j", async (model, fields) => {
    const body = await converseBody(canonicalRequest({ model, messages: [{ role: "user", content: "hi" }], top_k: 7 }));
    expect(body.additionalModelRequestFields).toEqual(fields);
  });

  it.each(["meta.llama3-8b-instruct-v1:0", "us.deepseek.r1-v1:0"])(
    "refuses top_k for %s, which has none",
    async (model) => {
      const error = await converseBody(
        canonicalRequest({ model, messages: [{ role: "user", content: "hi" }], top_k: 7 }),
      ).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ param: "top_k", code: "unsupported_parameter" });
    },
  );

  it("normalises image/jpg data URLs to the jpeg format", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]).toString("base64");
    const body = await converseBody(
      canonicalRequest({
        model: "m",
        messages: [
          { role: "user", content: [{ type: "image_url", image_url: { url: `data:image/jpg;base64,${jpeg}` } }] },
        ],
      }),
    );
    expect(body.messages[0]?.content).toEqual([{ image: { format: "jpeg", source: { bytes: jpeg } } }]);
  });

  it("writes cache points after marked blocks, documents, reasoning, output config and the controls", async () => {
    const body = await converseBody(
      canonicalRequest({
        model: "us.amazon.nova-2-lite-v1:0",
        messages: [
          { role: "system", content: [{ type: "text", text: "Rules", cache_control: { type: "ephemeral" } }] },
          {
            role: "user",
            content: [
              { type: "file", file: { file_data: "data:text/plain;base64,aGk=", filename: "n.txt" } },
              { type: "text", text: "Sum up", cache_control: { type: "ephemeral", ttl: "5m" } },
            ],
          },
          {
            role: "assistant",
            content: "ok",
            thinking_blocks: [
              { type: "thinking", thinking: "t", signature: "s" },
              { type: "redacted_thinking", data: "ZA==" },
            ],
          },
          { role: "user", content: "more" },
        ],
        tools: [{ type: "function", function: { name: "f" }, cache_control: { type: "ephemeral" } }],
        reasoning_effort: "medium",
        service_tier: "priority",
        performance_config: { latency: "optimized" },
        user: "u-1",
      }),
    );
    expect(body.system).toEqual([{ text: "Rules" }, { cachePoint: { type: "default" } }]);
    expect(body.messages[0]?.content).toEqual([
      { document: { format: "txt", name: "n", source: { bytes: "aGk=" } } },
      { text: "Sum up" },
      { cachePoint: { type: "default", ttl: "5m" } },
    ]);
    expect(body.messages[1]?.content).toEqual([
      { reasoningContent: { reasoningText: { text: "t", signature: "s" } } },
      { reasoningContent: { redactedContent: "ZA==" } },
      { text: "ok" },
    ]);
    expect(body.toolConfig?.tools).toEqual([
      { toolSpec: { name: "f", inputSchema: { json: { type: "object", properties: {} } } } },
      { cachePoint: { type: "default" } },
    ]);
    expect(body).toMatchObject({
      additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "medium" } },
      serviceTier: { type: "priority" },
      performanceConfig: { latency: "optimized" },
      requestMetadata: { user: "u-1" },
    });
  });

  it("sends Claude's thinking through additionalModelRequestFields, and structured output as a schema text", async () => {
    const body = await converseBody(
      canonicalRequest({
        model: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        messages: [{ role: "user", content: "hi" }],
        reasoning_effort: "minimal",
        max_tokens: 3000,
        response_format: {
          type: "json_schema",
          json_schema: { name: "s", description: "d", schema: { type: "object", properties: {} } },
        },
      }),
    );
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: "enabled", budget_tokens: 1024 } });
    expect(body.inferenceConfig).toEqual({ maxTokens: 3000 });
    expect(body.outputConfig).toEqual({
      textFormat: {
        type: "json_schema",
        structure: { jsonSchema: { schema: '{"type":"object","properties":{}}', name: "s", description: "d" } },
      },
    });
  });
});
