/**
 * Reasoning on Bedrock: `reasoning_effort` as Claude's extended thinking
 * (InvokeModel) and Nova 2's reasoning (Converse), DeepSeek-R1's reasoning,
 * the thinking returned as `reasoning_content` and `thinking_blocks`
 * (unary, streamed, over gRPC), a two-turn thinking + tool-use conversation
 * replayed with the assistant message exactly as the SDK returned it, and
 * every rule thinking imposes refused before the call with a 400 naming it.
 */
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { signThinking } from "../fakes/fake-bedrock-features.js";
import { BEDROCK_HTTP_CLIENTS, rejection, useBedrockStack } from "../fakes/fake-bedrock-stack.js";

const SONNET_4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
const CLAUDE_3_5 = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const NOVA_2 = "us.amazon.nova-2-lite-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
const R1 = "us.deepseek.r1-v1:0";

const weatherTool: OpenAI.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** What a reasoning answer of the fake says about the last user text. */
const thought = (said: string) => `Thinking about: ${said}`;

describe.each(BEDROCK_HTTP_CLIENTS)("Reasoning (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  describe("Claude's extended thinking from reasoning_effort", () => {
    it("asks for a budget from the effort and answers the thinking apart from the content", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: SONNET_4,
        messages: [{ role: "user", content: "Why is the sky blue?" }],
        reasoning_effort: "low",
      });
      const body = stack.bedrock.last().body;
      expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
      // The answer keeps Claude's default room above the budget.
      expect(body.max_tokens).toBe(2048 + 4096);
      const message = answer.choices[0]?.message as OpenAI.ChatCompletionMessage & Record<string, unknown>;
      expect(message.content).toBe("You said: Why is the sky blue?");
      expect(message.reasoning_content).toBe(thought("Why is the sky blue?"));
      expect(message.thinking_blocks).toEqual([
        {
          type: "thinking",
          thinking: thought("Why is the sky blue?"),
          signature: signThinking(thought("Why is the sky blue?")),
        },
      ]);
    });

    it("streams the thinking as reasoning_content deltas, its signed block once, the content apart", async () => {
      stack.bedrock.enqueue({ kind: "reply", redactedThinking: true });
      const stream = await stack.openai.chat.completions.create({
        model: SONNET_4,
        messages: [{ role: "user", content: "think out loud" }],
        reasoning_effort: "medium",
        max_completion_tokens: 10000,
        stream: true,
      });
      const deltas: Record<string, unknown>[] = [];
      for await (const chunk of stream) deltas.push(chunk.choices[0]?.delta as unknown as Record<string, unknown>);
      expect(stack.bedrock.last().body).toMatchObject({ thinking: { budget_tokens: 8192 }, max_tokens: 10000 });
      expect(deltas.map((delta) => delta.reasoning_content ?? "").join("")).toBe(thought("think out loud"));
      expect(deltas.map((delta) => delta.content ?? "").join("")).toBe("You said: think out loud");
      const blocks = deltas.filter((delta) => delta.thinking_blocks);
      expect(blocks).toHaveLength(1);
      expect(blocks[0]?.thinking_blocks).toEqual([
        { type: "thinking", thinking: thought("think out loud"), signature: signThinking(thought("think out loud")) },
        { type: "redacted_thinking", data: expect.any(String) },
      ]);
      // Reasoning never mixes into the content deltas.
      expect(deltas.every((delta) => !(delta.content && delta.reasoning_content))).toBe(true);
    });

    it("carries a two-turn thinking + tool-use conversation, the assistant message sent back as the SDK returned it", async () => {
      stack.bedrock.enqueue({
        kind: "reply",
        toolUses: [{ name: "get_weather", input: { city: "Paris" } }],
        redactedThinking: true,
      });
      const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris?" }];
      const first = await stack.openai.chat.completions.create({
        model: SONNET_4,
        messages,
        tools: [weatherTool],
        reasoning_effort: "low",
      });
      const assistant = first.choices[0]?.message;
      if (!assistant?.tool_calls?.[0]) throw new Error("no tool call");
      expect(first.choices[0]?.finish_reason).toBe("tool_calls");
      messages.push(assistant, { role: "tool", tool_call_id: assistant.tool_calls[0].id, content: "18°C, clear" });

      const second = await stack.openai.chat.completions.create({
        model: SONNET_4,
        messages,
        tools: [weatherTool],
        reasoning_effort: "low",
      });
      expect(second.choices[0]?.message.content).toBe("The tool said: 18°C, clear");
      // Claude got its own signed and redacted blocks back, first in the turn that called the tool.
      const replayed = (stack.bedrock.last().body.messages as { content: Record<string, unknown>[] }[])[1];
      expect(replayed?.content.map((block) => block.type)).toEqual(["thinking", "redacted_thinking", "tool_use"]);
      expect(replayed?.content[0]).toEqual({
        type: "thinking",
        thinking: thought("Weather in Paris?"),
        signature: signThinking(thought("Weather in Paris?")),
      });
    });

    it("carries the same conversation when the first turn was streamed and reassembled by the SDK", async () => {
      stack.bedrock.enqueue({ kind: "reply", toolUses: [{ name: "get_weather", input: { city: "Oslo" } }] });
      const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Oslo?" }];
      const final = await stack.openai.chat.completions
        .stream({ model: SONNET_4, messages, tools: [weatherTool], reasoning_effort: "low" })
        .finalChatCompletion();
      const assistant = final.choices[0]?.message;
      if (!assistant?.tool_calls?.[0]) throw new Error("no tool call");
      messages.push(assistant as OpenAI.ChatCompletionMessageParam, {
        role: "tool",
        tool_call_id: assistant.tool_calls[0].id,
        content: "-3°C",
      });
      const second = await stack.openai.chat.completions.create({ model: SONNET_4, messages, reasoning_effort: "low" });
      expect(second.choices[0]?.message.content).toBe("The tool said: -3°C");
    });

    it("passes Bedrock's refusal on when the thinking blocks of a tool turn were not sent back", async () => {
      stack.bedrock.enqueue({ kind: "reply", toolUses: [{ name: "get_weather", input: { city: "Rome" } }] });
      const first = await stack.openai.chat.completions.create({
        model: SONNET_4,
        messages: [{ role: "user", content: "Weather in Rome?" }],
        tools: [weatherTool],
        reasoning_effort: "low",
      });
      const message = first.choices[0]?.message;
      if (!message) throw new Error("no message");
      const { thinking_blocks: _dropped, ...stripped } = message as unknown as Record<string, unknown>;
      const error = await rejection<InstanceType<typeof OpenAI.APIError>>(
        stack.openai.chat.completions.create({
          model: SONNET_4,
          messages: [
            { role: "user", content: "Weather in Rome?" },
            stripped as unknown as OpenAI.ChatCompletionAssistantMessageParam,
            { role: "tool", tool_call_id: first.choices[0]?.message.tool_calls?.[0]?.id ?? "", content: "20°C" },
          ],
          tools: [weatherTool],
          reasoning_effort: "low",
        }),
      );
      expect(error.status).toBe(400);
      expect(error.message).toContain("a final `assistant` message must start with a thinking block");
    });

    it("passes a Claude-native thinking object in a Claude-shaped body as given, and answers its thinking in Claude's shape", async () => {
      const response = await fetch(`${stack.gateway.url}/v1/chat/completions?target_format=bedrock_claude`, {
        method: "POST",
        headers: { authorization: `Bearer ${stack.gateway.key}`, "content-type": "application/json" },
        body: JSON.stringify({
          anthropic_version: "bedrock-2023-05-31",
          model: SONNET_4,
          max_tokens: 3000,
          thinking: { type: "enabled", budget_tokens: 1500 },
          messages: [{ role: "user", content: "hmm" }],
        }),
      });
      expect(response.status).toBe(200);
      expect(stack.bedrock.last().body).toMatchObject({
        max_tokens: 3000,
        thinking: { type: "enabled", budget_tokens: 1500 },
      });
      const answer = (await response.json()) as { content: Record<string, unknown>[] };
      expect(answer.content).toEqual([
        { type: "thinking", thinking: thought("hmm"), signature: signThinking(thought("hmm")) },
        { type: "text", text: "You said: hmm" },
      ]);
    });

    it("answers reasoning_content through gRPC as a field of its own, with the blocks", async () => {
      const answer = await stack.grpc.create({
        model: SONNET_4,
        messages: [{ role: "user", content: "over gRPC" }],
        reasoning_effort: "minimal",
      });
      expect(stack.bedrock.last().body.thinking).toEqual({ type: "enabled", budget_tokens: 1024 });
      expect(answer.choices[0].message.reasoning_content).toBe(thought("over gRPC"));
      expect(answer.choices[0].message.thinking_blocks).toEqual([
        { type: "thinking", thinking: thought("over gRPC"), signature: signThinking(thought("over gRPC")) },
      ]);
      const chunks = await stack.grpc.collect({
        model: SONNET_4,
        messages: [{ role: "user", content: "over gRPC" }],
        reasoning_effort: "minimal",
      });
      const reasoning = chunks.map((chunk) => chunk.choices?.[0]?.delta?.reasoning_content ?? "").join("");
      expect(reasoning).toBe(thought("over gRPC"));
    });
  });

  describe("reasoning on Converse models", () => {
    it("turns reasoning_effort into Nova 2's reasoningConfig and answers its reasoning", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: NOVA_2,
        messages: [{ role: "user", content: "plan a trip" }],
        reasoning_effort: "minimal",
      });
      expect(stack.bedrock.last().body.additionalModelRequestFields).toEqual({
        reasoningConfig: { type: "enabled", maxReasoningEffort: "low" },
      });
      const message = answer.choices[0]?.message as unknown as Record<string, unknown> | undefined;
      expect(message?.reasoning_content).toBe(thought("plan a trip"));
      expect(message?.content).toBe("You said: plan a trip");
    });

    it("answers DeepSeek-R1's reasoningContent as reasoning_content, unary and streamed", async () => {
      const answer = await stack.openai.chat.completions.create({
        model: R1,
        messages: [{ role: "user", content: "two plus two" }],
      });
      expect((answer.choices[0]?.message as unknown as Record<string, unknown> | undefined)?.reasoning_content).toBe(
        thought("two plus two"),
      );
      const stream = await stack.openai.chat.completions.create({
        model: R1,
        messages: [{ role: "user", content: "two plus two" }],
        stream: true,
      });
      let reasoning = "";
      let content = "";
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
        reasoning += (delta?.reasoning_content as string | undefined) ?? "";
        content += (delta?.content as string | undefined) ?? "";
      }
      expect(reasoning).toBe(thought("two plus two"));
      expect(content).toBe("You said: two plus two");
    });
  });

  describe("refused before the call, naming the field", () => {
    it.each<[string, Record<string, unknown>, string]>([
      [
        "a max_tokens at or below the effort's budget",
        { model: SONNET_4, reasoning_effort: "high", max_tokens: 16384 },
        "max_tokens",
      ],
      [
        "a max_completion_tokens below the budget",
        { model: SONNET_4, reasoning_effort: "medium", max_completion_tokens: 4000 },
        "max_completion_tokens",
      ],
      ["a temperature other than 1", { model: SONNET_4, reasoning_effort: "low", temperature: 0.2 }, "temperature"],
      ["a top_p below 0.95", { model: SONNET_4, reasoning_effort: "low", top_p: 0.5 }, "top_p"],
      ["top_k", { model: SONNET_4, reasoning_effort: "low", top_k: 5 }, "top_k"],
      [
        "a forced tool",
        { model: SONNET_4, reasoning_effort: "low", tools: [weatherTool], tool_choice: "required" },
        "tool_choice",
      ],
      ["a Claude that does not think", { model: CLAUDE_3_5, reasoning_effort: "low" }, "reasoning_effort"],
      ["a Converse model that does not reason", { model: NOVA, reasoning_effort: "low" }, "reasoning_effort"],
      ["an effort for a model that always reasons", { model: R1, reasoning_effort: "high" }, "reasoning_effort"],
      ["an effort OpenAI does not have", { model: SONNET_4, reasoning_effort: "extreme" }, "reasoning_effort"],
      [
        "both reasoning_effort and Claude's thinking",
        { model: SONNET_4, reasoning_effort: "low", thinking: { type: "enabled", budget_tokens: 2000 } },
        "reasoning_effort",
      ],
      [
        "Claude's thinking on another model",
        { model: NOVA, thinking: { type: "enabled", budget_tokens: 2000 } },
        "thinking",
      ],
    ])("%s", async (_name, fields, param) => {
      const error = await rejection<InstanceType<typeof OpenAI.APIError>>(
        stack.openai.chat.completions.create({
          messages: [{ role: "user", content: "hi" }],
          ...fields,
        } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming),
      );
      expect(error.status).toBe(400);
      expect(error.param).toBe(param);
      expect(stack.bedrock.requests).toHaveLength(0);
    });

    it("answers a temperature of 1 and a top_p of 0.95 with thinking", async () => {
      await stack.openai.chat.completions.create({
        model: SONNET_4,
        messages: [{ role: "user", content: "hi" }],
        reasoning_effort: "low",
        temperature: 1,
        top_p: 0.95,
      });
      expect(stack.bedrock.last().body).toMatchObject({ temperature: 1, top_p: 0.95 });
    });
  });
});

// A client that never sets reasoning gets none.
describe("no reasoning unless asked", () => {
  const stack = useBedrockStack();
  it("sends no thinking and answers no reasoning fields", async () => {
    const answer = await stack.openai.chat.completions.create({
      model: SONNET_4,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(stack.bedrock.last().body.thinking).toBeUndefined();
    expect(answer.choices[0]?.message).not.toHaveProperty("reasoning_content");
    expect(answer.choices[0]?.message).not.toHaveProperty("thinking_blocks");
  });
});
