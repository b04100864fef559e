/**
 * A Claude Code session replayed through the server, request by request as
 * Claude Code sends them (test/fixtures/claude-code/session.json): its
 * headers, `?beta=true`, its beta flags, its bodies. The server is set up as
 * the README tells a Bedrock-only team (Bedrock credentials only, the key in
 * ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN), and every answer must be one
 * Claude Code reads: Anthropic's JSON, or its SSE events named by type.
 */
import { readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import type { BetaContentBlock, BetaMessage } from "@anthropic-ai/sdk/resources/beta/messages";
import type { Message } from "@anthropic-ai/sdk/resources/messages";
import { describe, expect, it } from "vitest";
import { useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { sseEvents } from "./formats-gateway.js";

interface Recorded {
  name: string;
  path: string;
  beta: string;
  body: Record<string, unknown>;
}

const SESSION = JSON.parse(readFileSync(new URL("../fixtures/claude-code/session.json", import.meta.url), "utf8")) as {
  headers: Record<string, string>;
  requests: Recorded[];
};

const SONNET_PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const HAIKU_PROFILE = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

/** What Bedrock should receive for a body Claude Code sent: no model, no stream, Bedrock's version, the betas it takes. */
function forBedrock(body: Record<string, unknown>, betas: string[]): Record<string, unknown> {
  const { model: _model, stream: _stream, ...rest } = body;
  return { anthropic_version: "bedrock-2023-05-31", ...rest, ...(betas.length > 0 ? { anthropic_beta: betas } : {}) };
}

describe("a recorded Claude Code session through /v1/messages", () => {
  const stack = useBedrockStack();

  it.each([
    ["x-api-key (ANTHROPIC_API_KEY)", "x-api-key"],
    ["a bearer token (ANTHROPIC_AUTH_TOKEN)", "authorization"],
  ])("answers every request as Claude Code expects, with the key as %s", async (_how, keyHeader) => {
    const key = stack.gateway.key;
    const keyHeaders: Record<string, string> =
      keyHeader === "x-api-key" ? { "x-api-key": key } : { authorization: `Bearer ${key}` };
    // The main loop streams through the SDK Claude Code is built on, with Claude Code's headers.
    const client = new Anthropic({
      ...(keyHeader === "x-api-key" ? { apiKey: key } : { apiKey: null, authToken: key }),
      baseURL: stack.gateway.url,
      maxRetries: 0,
      defaultHeaders: SESSION.headers,
    });
    const stream = async (recorded: Recorded, body = recorded.body): Promise<BetaMessage> => {
      const { stream: _stream, ...params } = body;
      const betas = recorded.beta.split(",");
      return client.beta.messages
        .stream({ ...params, betas } as unknown as Anthropic.Beta.MessageCreateParamsStreaming)
        .finalMessage();
    };
    const [quota, count, topic, first, second] = SESSION.requests;
    if (!quota || !count || !topic || !first || !second) throw new Error("the recorded session is incomplete");
    const send = (recorded: Recorded, body = recorded.body) =>
      fetch(`${stack.gateway.url}${recorded.path}`, {
        method: "POST",
        headers: { ...SESSION.headers, ...keyHeaders, "anthropic-beta": recorded.beta },
        body: JSON.stringify(body),
      });

    // The quota probe: a one-token answer from the small model.
    const probe = await send(quota);
    expect(probe.status).toBe(200);
    expect(((await probe.json()) as Message).type).toBe("message");
    expect(stack.bedrock.last()).toMatchObject({ operation: "invoke", modelId: HAIKU_PROFILE });
    expect(stack.bedrock.last().body).toEqual(forBedrock(quota.body, ["fine-grained-tool-streaming-2025-05-14"]));

    // The token count: Bedrock's CountTokens on the foundation model.
    const counted = await send(count);
    expect(counted.status).toBe(200);
    expect(((await counted.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    expect(stack.bedrock.last()).toMatchObject({
      operation: "count-tokens",
      modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
    });

    // The topic check, streamed by the small model.
    const checked = await send(topic);
    expect(checked.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const checkedEvents = sseEvents(await checked.text());
    for (const { event, data } of checkedEvents) expect(data.type).toBe(event);
    expect(checkedEvents.map(({ event }) => event).slice(0, 2)).toEqual(["message_start", "ping"]);
    expect(stack.bedrock.last().body).toEqual(forBedrock(topic.body, ["fine-grained-tool-streaming-2025-05-14"]));

    // The main loop: Claude thinks, then calls a tool.
    stack.bedrock.enqueue({
      kind: "reply",
      toolUses: [{ name: "Bash", input: { command: "ls", description: "List the files" } }],
    });
    const answer = await stream(first);
    const mainBetas = [
      "interleaved-thinking-2025-05-14",
      "context-management-2025-06-27",
      "fine-grained-tool-streaming-2025-05-14",
    ];
    expect(stack.bedrock.last()).toMatchObject({ operation: "invoke-with-response-stream", modelId: SONNET_PROFILE });
    expect(stack.bedrock.last().body).toEqual(forBedrock(first.body, mainBetas));
    expect(answer.stop_reason).toBe("tool_use");
    expect(answer.content.map((block) => block.type)).toEqual(["thinking", "tool_use"]);
    const use = answer.content.find((block): block is Extract<BetaContentBlock, { type: "tool_use" }> => {
      return block.type === "tool_use";
    });
    expect(use).toMatchObject({ name: "Bash", input: { command: "ls", description: "List the files" } });

    // The tool's result goes back with the signed thinking and the tool call, as Claude Code sends them.
    const messages = (second.body.messages as { role: string; content: unknown }[]).map((message) => {
      if (message.content === "$previous") return { ...message, content: answer.content };
      if (!Array.isArray(message.content)) return message;
      return {
        ...message,
        content: message.content.map((block: Record<string, unknown>) =>
          block.tool_use_id === "$previous_tool_use_id" ? { ...block, tool_use_id: use?.id } : block,
        ),
      };
    });
    const secondBody = { ...second.body, messages, tools: first.body.tools };
    const final = await stream(second, secondBody);
    expect(stack.bedrock.last().body).toEqual(forBedrock(secondBody, mainBetas));
    expect(final.stop_reason).toBe("end_turn");
    expect(final.content.at(-1)).toMatchObject({ type: "text", text: "The tool said: README.md\npackage.json\nsrc" });
  });
});
