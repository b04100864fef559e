/**
 * `response_format` on Bedrock: Bedrock's structured output where the
 * model has it (Claude Sonnet 4.5: `output_config.format`), else a forced
 * tool whose input schema is the requested one (Claude 3.5, Nova on
 * Converse), answered as the message's content (JSON text that follows the
 * schema), `finish_reason: "stop"`, no tool call, streamed as content
 * deltas; a model that can do neither gets a 400.
 */
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, rejection, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { schemaErrors } from "../helpers/json-schema.js";

const SONNET_4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
const SONNET_4_5 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const CLAUDE_3_5 = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
const LLAMA = "meta.llama3-8b-instruct-v1:0";

const SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string" },
    temperature: { type: "number" },
    conditions: { type: "string", enum: ["sunny", "cloudy", "rain"] },
    days: { type: "array", items: { type: "integer", minimum: 1 } },
  },
  required: ["city", "temperature", "conditions", "days"],
  additionalProperties: false,
};
const FORMAT = {
  type: "json_schema",
  json_schema: { name: "weather_report", description: "A weather report.", schema: SCHEMA, strict: true },
} as const;

const ask = (model: string, extra: Record<string, unknown> = {}) =>
  ({
    model,
    messages: [{ role: "user", content: "Weather in Paris?" }],
    response_format: FORMAT,
    ...extra,
  }) as OpenAI.ChatCompletionCreateParamsNonStreaming;

/** The answer's content parsed, and what of the schema it breaks (nothing, for a good answer). */
function followsSchema(content: string | null | undefined): string[] {
  return schemaErrors(JSON.parse(content ?? "null"), SCHEMA);
}

async function streamed(
  stack: ReturnType<typeof useBedrockStack>,
  request: OpenAI.ChatCompletionCreateParamsNonStreaming,
) {
  const stream = await stack.openai.chat.completions.create({ ...request, stream: true });
  let content = "";
  let finish: string | null | undefined;
  let toolCalls = 0;
  for await (const chunk of stream) {
    content += chunk.choices[0]?.delta.content ?? "";
    toolCalls += chunk.choices[0]?.delta.tool_calls?.length ?? 0;
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { content, finish, toolCalls };
}

describe.each(BEDROCK_HTTP_CLIENTS)("Structured output (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  describe("through Bedrock's structured output", () => {
    it("sends output_config.format to Claude 4.5 and answers JSON that follows the schema", async () => {
      const answer = await stack.openai.chat.completions.create(ask(SONNET_4_5));
      const body = stack.bedrock.last().body;
      expect(body.output_config).toEqual({ format: { type: "json_schema", schema: SCHEMA } });
      expect(body.tools).toBeUndefined();
      expect(followsSchema(answer.choices[0]?.message.content)).toEqual([]);
      expect(answer.choices[0]?.finish_reason).toBe("stop");
    });

    it("streams it as content deltas", async () => {
      const { content, finish, toolCalls } = await streamed(stack, ask(SONNET_4_5));
      expect(followsSchema(content)).toEqual([]);
      expect(finish).toBe("stop");
      expect(toolCalls).toBe(0);
    });

    it("answers what the model wrote", async () => {
      const report = { city: "Paris", temperature: 18.5, conditions: "sunny", days: [1, 2] };
      stack.bedrock.enqueue({ kind: "reply", json: report });
      const answer = await stack.openai.chat.completions.create(ask(SONNET_4_5));
      expect(JSON.parse(answer.choices[0]?.message.content ?? "")).toEqual(report);
    });
  });

  describe("through a forced tool", () => {
    it("forces a tool named for the schema on Claude 3.5, its input answered as the content", async () => {
      const answer = await stack.openai.chat.completions.create(ask(CLAUDE_3_5));
      const body = stack.bedrock.last().body;
      expect(body.tools).toEqual([{ name: "weather_report", description: "A weather report.", input_schema: SCHEMA }]);
      expect(body.tool_choice).toEqual({ type: "tool", name: "weather_report" });
      const message = answer.choices[0]?.message;
      expect(followsSchema(message?.content)).toEqual([]);
      expect(message?.tool_calls).toBeUndefined();
      expect(answer.choices[0]?.finish_reason).toBe("stop");
    });

    it("streams the tool's input as content deltas, with no tool call", async () => {
      const { content, finish, toolCalls } = await streamed(stack, ask(CLAUDE_3_5));
      expect(followsSchema(content)).toEqual([]);
      expect(finish).toBe("stop");
      expect(toolCalls).toBe(0);
    });

    it("forces the tool on a Converse model (Nova), unary and streamed", async () => {
      const answer = await stack.openai.chat.completions.create(ask(NOVA));
      expect(stack.bedrock.last().body.toolConfig).toEqual({
        tools: [
          { toolSpec: { name: "weather_report", description: "A weather report.", inputSchema: { json: SCHEMA } } },
        ],
        toolChoice: { tool: { name: "weather_report" } },
      });
      expect(followsSchema(answer.choices[0]?.message.content)).toEqual([]);
      const { content, finish } = await streamed(stack, ask(NOVA));
      expect(followsSchema(content)).toEqual([]);
      expect(finish).toBe("stop");
    });

    it("answers json_object as a JSON object", async () => {
      const answer = await stack.openai.chat.completions.create(
        ask(CLAUDE_3_5, { response_format: { type: "json_object" } }),
      );
      expect(stack.bedrock.last().body.tool_choice).toEqual({ type: "tool", name: "json_response" });
      expect(JSON.parse(answer.choices[0]?.message.content ?? "")).toEqual({});
    });

    it("lets the model choose between the caller's tools and the answer", async () => {
      const lookup = { type: "function" as const, function: { name: "lookup", parameters: { type: "object" } } };
      stack.bedrock.enqueue(
        { kind: "reply", toolUses: [{ name: "lookup", input: { q: "Paris" } }] },
        {
          kind: "reply",
          toolUses: [
            { name: "weather_report", input: { city: "Paris", temperature: 18, conditions: "rain", days: [1] } },
          ],
        },
      );
      const call = await stack.openai.chat.completions.create(ask(CLAUDE_3_5, { tools: [lookup] }));
      expect(stack.bedrock.last().body.tool_choice).toEqual({ type: "any" });
      expect(call.choices[0]?.finish_reason).toBe("tool_calls");
      expect(call.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: "lookup" } });
      const report = await stack.openai.chat.completions.create(ask(CLAUDE_3_5, { tools: [lookup] }));
      expect(followsSchema(report.choices[0]?.message.content)).toEqual([]);
      expect(report.choices[0]?.finish_reason).toBe("stop");
    });
  });

  describe("refused before the call", () => {
    it.each<[string, OpenAI.ChatCompletionCreateParamsNonStreaming, string]>([
      ["a model with neither structured output nor a forced tool", ask(LLAMA), "response_format"],
      ["Titan text", ask("amazon.titan-text-express-v1"), "response_format"],
      ["a forced tool with Claude's extended thinking", ask(SONNET_4, { reasoning_effort: "low" }), "response_format"],
      [
        "a forced tool beside a tool_choice that forces another",
        ask(CLAUDE_3_5, {
          tools: [{ type: "function", function: { name: "lookup" } }],
          tool_choice: "required",
        }),
        "tool_choice",
      ],
      [
        "an answer tool whose name a caller's tool has",
        ask(CLAUDE_3_5, { tools: [{ type: "function", function: { name: "weather_report" } }] }),
        "response_format.json_schema.name",
      ],
      [
        "a strict tool on a model without strict tool use",
        {
          model: CLAUDE_3_5,
          messages: [{ role: "user", content: "hi" }],
          tools: [{ type: "function", function: { name: "lookup", strict: true } }],
        },
        "tools.[0].function.strict",
      ],
    ])("%s", async (_name, request, param) => {
      const error = await rejection<InstanceType<typeof OpenAI.APIError>>(
        stack.openai.chat.completions.create(request),
      );
      expect(error.status).toBe(400);
      expect(error.param).toBe(param);
      expect(stack.bedrock.requests).toHaveLength(0);
    });

    it("answers structured output with Claude 4.5's extended thinking, which needs no forced tool", async () => {
      const answer = await stack.openai.chat.completions.create(ask(SONNET_4_5, { reasoning_effort: "low" }));
      expect(stack.bedrock.last().body).toMatchObject({
        thinking: { type: "enabled" },
        output_config: { format: { schema: SCHEMA } },
      });
      expect(followsSchema(answer.choices[0]?.message.content)).toEqual([]);
    });
  });
});
