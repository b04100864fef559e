/**
 * Bedrock Claude bodies in, and Claude-shaped answers out, through the real
 * server to the fake OpenAI and the fake Bedrock Runtime.
 */
import { describe, expect, it } from "vitest";
import { curl } from "../helpers/curl.js";
import { wireBody } from "../helpers/wire-fixtures.js";
import { postChat, readSse, sseEvents, useBothUpstreams } from "./formats-gateway.js";

const setup = useBothUpstreams();

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const claudeBody = () => wireBody("bedrock/claude_invoke_request.json");
const hello = {
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 200,
  system: "Be brief.",
  messages: [{ role: "user", content: "hello there" }],
};

interface ClaudeAnswer {
  id: string;
  type: string;
  role: string;
  model: string;
  content: { type: string; text?: string; id?: string; name?: string; input?: unknown }[];
  stop_reason: string;
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number };
}

/** The text and tool calls a Claude event stream tells, its stop reason and usage, checked for order. */
function readClaudeStream(text: string) {
  const events = sseEvents(text);
  for (const { event, data } of events) expect(event).toBe(data.type);
  const types = events.map(({ data }) => data.type);
  expect(types[0]).toBe("message_start");
  expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
  const blocks: { type: string; text: string; json: string; id?: string; name?: string }[] = [];
  let open: number | undefined;
  for (const { data } of events) {
    if (data.type === "content_block_start") {
      expect(open).toBeUndefined();
      open = data.index as number;
      expect(open).toBe(blocks.length);
      const block = data.content_block as { type: string; id?: string; name?: string };
      blocks.push({ type: block.type, text: "", json: "", id: block.id, name: block.name });
    }
    if (data.type === "content_block_delta") {
      expect(data.index).toBe(open);
      const delta = data.delta as { type: string; text?: string; partial_json?: string };
      const block = blocks[data.index as number];
      if (!block) throw new Error("delta outside a block");
      if (delta.type === "text_delta") block.text += delta.text;
      else block.json += delta.partial_json;
    }
    if (data.type === "content_block_stop") {
      expect(data.index).toBe(open);
      open = undefined;
    }
  }
  expect(open).toBeUndefined();
  const start = events[0]?.data.message as ClaudeAnswer;
  const final = events.at(-2)?.data as { delta: { stop_reason: string }; usage: ClaudeAnswer["usage"] };
  // Bedrock's addition to the last event: the same counts as the usage, and latencies in whole milliseconds.
  const metrics = events.at(-1)?.data["amazon-bedrock-invocationMetrics"] as Record<string, number>;
  expect(metrics).toEqual({
    inputTokenCount: final.usage.input_tokens,
    outputTokenCount: final.usage.output_tokens,
    ...(final.usage.cache_read_input_tokens === undefined
      ? {}
      : { cacheReadInputTokenCount: final.usage.cache_read_input_tokens }),
    invocationLatency: expect.any(Number),
    firstByteLatency: expect.any(Number),
  });
  expect(Number.isInteger(metrics.invocationLatency) && Number.isInteger(metrics.firstByteLatency)).toBe(true);
  expect(
    0 <= (metrics.firstByteLatency ?? -1) && (metrics.firstByteLatency ?? 0) <= (metrics.invocationLatency ?? -1),
  ).toBe(true);
  return { start, blocks, stopReason: final.delta.stop_reason, usage: final.usage };
}

describe("a Bedrock Claude body", () => {
  it("is answered by an OpenAI model in OpenAI's shape by default, the conversation carried over", async () => {
    const response = await postChat(setup, claudeBody(), "model=gpt-4o-mini");
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      object: string;
      choices: { message: { content: string } }[];
    };
    expect(answer.object).toBe("chat.completion");
    expect(answer.choices[0]?.message.content).toBe("You said: And tomorrow?");
    const sent = setup.openai.lastChatBody();
    expect(sent).toMatchObject({
      model: "gpt-4o-mini",
      max_tokens: 512,
      temperature: 0.7,
      top_p: 0.9,
      stop: ["\n\nUser:"],
      tool_choice: "auto",
    });
    const messages = sent.messages as { role: string; content: unknown; tool_calls?: unknown; tool_call_id?: string }[];
    expect(messages.map((message) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    expect(messages[1]?.content).toEqual([
      { type: "text", text: "What city is shown on this tiny flag, and what's the weather there?" },
      {
        type: "image_url",
        image_url: {
          url: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==",
        },
      },
    ]);
    expect(messages[2]?.tool_calls).toEqual([
      {
        id: "toolu_bdrk_01MqHGzs8QwkdkVjJYrbLTPp",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
      },
    ]);
    expect(messages[3]).toMatchObject({ role: "tool", tool_call_id: "toolu_bdrk_01MqHGzs8QwkdkVjJYrbLTPp" });
    expect((sent.tools as { function: { name: string } }[])[0]?.function.name).toBe("get_weather");
    expect(setup.gateway.logs).toContainEqual(
      expect.objectContaining({ msg: "chat request read", format: "bedrock_claude", targetFormat: "openai" }),
    );
  });

  it("is answered by an OpenAI model in Claude's shape", async () => {
    const response = await postChat(setup, { ...hello, model: "gpt-4o-mini" }, "target_format=bedrock_claude");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const answer = (await response.json()) as ClaudeAnswer;
    expect(answer).toMatchObject({
      type: "message",
      role: "assistant",
      model: "gpt-4o-mini-2024-07-18",
      content: [{ type: "text", text: "You said: hello there" }],
      stop_reason: "end_turn",
      stop_sequence: null,
    });
    expect(answer.id).toMatch(/^msg_/);
    expect(answer.usage.input_tokens).toBeGreaterThan(0);
    expect(answer.usage.output_tokens).toBe(4);
  });

  it("streams an OpenAI model's tool calls as Claude's events (body stream: true, real SSE bytes)", async () => {
    setup.openai.enqueue({
      kind: "reply",
      text: "Checking.",
      toolCalls: [{ name: "get_weather", arguments: '{"city":"Paris","day_offset":1}' }],
    });
    const result = await curl(`${setup.gateway.url}/v1/chat/completions?target_format=bedrock_claude`, [
      "-H",
      `Authorization: Bearer ${setup.gateway.key}`,
      "-H",
      "Content-Type: application/json",
      "-d",
      JSON.stringify({
        ...hello,
        model: "gpt-4o-mini",
        stream: true,
        tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      }),
    ]);
    expect(result.status).toBe(200);
    expect(result.headers).toContain("content-type: text/event-stream");
    expect(result.body.startsWith("event: message_start\ndata: {")).toBe(true);
    const { start, blocks, stopReason, usage } = readClaudeStream(result.body);
    expect(start).toMatchObject({ type: "message", role: "assistant", content: [], stop_reason: null });
    expect(blocks.map((block) => [block.type, block.text, block.name])).toEqual([
      ["text", "Checking.", undefined],
      ["tool_use", "", "get_weather"],
    ]);
    expect(JSON.parse(blocks[1]?.json ?? "")).toEqual({ city: "Paris", day_offset: 1 });
    expect(blocks[1]?.id).toMatch(/^call_/);
    expect(stopReason).toBe("tool_use");
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(setup.openai.lastChatBody().tool_choice).toBeUndefined();
  });

  it("reaches a Bedrock Claude model unchanged and is answered in Claude's shape", async () => {
    const response = await postChat(
      setup,
      claudeBody(),
      `model=${encodeURIComponent(CLAUDE)}&target_format=bedrock_claude`,
    );
    expect(response.status).toBe(200);
    expect(setup.bedrock.last()).toMatchObject({ operation: "invoke", modelId: CLAUDE });
    expect(setup.bedrock.last().body).toEqual(claudeBody());
    const answer = (await response.json()) as ClaudeAnswer;
    expect(answer.content).toEqual([{ type: "text", text: "You said: And tomorrow?" }]);
    expect(answer.stop_reason).toBe("end_turn");
    expect(answer.model).toBe(CLAUDE);
  });

  it("streams from a Bedrock Claude model when the query says stream=true", async () => {
    const response = await postChat(setup, { ...hello, model: CLAUDE }, "stream=true&target_format=bedrock_claude");
    expect(response.status).toBe(200);
    expect(setup.bedrock.last().operation).toBe("invoke-with-response-stream");
    const { blocks, stopReason, usage } = readClaudeStream(await response.text());
    expect(blocks.map((block) => block.text).join("")).toBe("You said: hello there");
    expect(stopReason).toBe("end_turn");
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBe(4);
  });

  it("streams in OpenAI's shape when no target_format is given", async () => {
    const response = await postChat(setup, { ...hello, model: "gpt-4o-mini", stream: true });
    const messages = readSse(await response.text());
    expect(messages.every((message) => message.event === undefined)).toBe(true);
    expect(messages.at(-1)?.data).toBe("[DONE]");
    const chunks = messages.slice(0, -1).map((message) => JSON.parse(message.data) as { object: string });
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk")).toBe(true);
  });
});

describe("an OpenAI request answered in Claude's shape", () => {
  const openaiBody = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi Claude" }] };

  it("unary", async () => {
    setup.openai.enqueue({ kind: "reply", text: "Hello.", finishReason: "length" });
    const response = await postChat(setup, openaiBody, "target_format=bedrock_claude");
    const answer = (await response.json()) as ClaudeAnswer;
    expect(answer).toMatchObject({
      type: "message",
      content: [{ type: "text", text: "Hello." }],
      stop_reason: "max_tokens",
    });
  });

  it("streaming, with usage though the caller did not ask for it", async () => {
    const response = await postChat(setup, { ...openaiBody, stream: true }, "target_format=bedrock_claude");
    const { blocks, stopReason, usage } = readClaudeStream(await response.text());
    expect(blocks).toMatchObject([{ type: "text", text: "You said: hi Claude" }]);
    expect(stopReason).toBe("end_turn");
    expect(usage.output_tokens).toBe(4);
  });
});
