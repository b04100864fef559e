import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ChatCompletionResponseSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { UpstreamError } from "../../../src/core/errors.js";
import { toAnthropicStopReason } from "../../../src/dialects/anthropic-messages/map-finish-reason.js";
import {
  anthropicMessageId,
  toAnthropicResponse,
} from "../../../src/dialects/anthropic-messages/to-anthropic-response.js";
import { fromOpenAIResponse } from "../../../src/providers/openai/from-openai-response.js";
import type { AnthropicMessage } from "../../../src/wire/anthropic-messages.js";
import { wireJson } from "../../helpers/wire-fixtures.js";
import { fixtureJson } from "../../providers/bedrock/wire-fixtures.js";
import { providerReadsClaude } from "../provider-bodies.js";

const withoutIdAndModel = ({ id: _id, model: _model, ...rest }: AnthropicMessage) => rest;

describe("toAnthropicResponse", () => {
  it.each(["claude_invoke_response_text.json", "claude_invoke_response_tool_use.json"])(
    "gives back the recorded Claude answer %s after the Claude provider read it",
    (name) => {
      const recorded = fixtureJson<AnthropicMessage>(`bedrock/${name}`);
      const canonical = providerReadsClaude(recorded, "anthropic.claude-3-5-sonnet-20240620-v1:0");
      const answer = toAnthropicResponse(canonical);
      expect(withoutIdAndModel(answer)).toEqual(withoutIdAndModel(recorded));
      expect(answer.id).toBe(anthropicMessageId(canonical.id));
      expect(answer.id).toMatch(/^msg_/);
      expect(answer.model).toBe("anthropic.claude-3-5-sonnet-20240620-v1:0");
    },
  );

  it("answers OpenAI's recorded tool-call completion as text and tool_use blocks", () => {
    const canonical = fromOpenAIResponse(wireJson("openai/chat_response_tool_calls.json"));
    const answer = toAnthropicResponse(canonical);
    const calls = canonical.choices[0]?.message?.toolCalls ?? [];
    expect(answer.stop_reason).toBe("tool_use");
    expect(answer.content.filter((block) => block.type === "tool_use")).toEqual(
      calls.map((call) => ({
        type: "tool_use",
        id: call.id,
        name: call.function?.name,
        input: JSON.parse(call.function?.arguments ?? ""),
      })),
    );
    expect(answer.usage).toMatchObject({
      input_tokens: (canonical.usage?.promptTokens ?? 0) - (canonical.usage?.promptTokensDetails?.cachedTokens ?? 0),
      output_tokens: canonical.usage?.completionTokens,
    });
  });

  it("counts cached prompt tokens apart, as Claude does", () => {
    const answer = toAnthropicResponse(
      create(ChatCompletionResponseSchema, {
        id: "chatcmpl-1",
        model: "m",
        choices: [{ message: { role: "assistant", content: "hi" }, finishReason: "stop" }],
        usage: { promptTokens: 100, completionTokens: 5, totalTokens: 105, promptTokensDetails: { cachedTokens: 60 } },
      }),
    );
    expect(answer.usage).toEqual({ input_tokens: 40, output_tokens: 5, cache_read_input_tokens: 60 });
  });

  it("gives an empty answer no blocks and zero usage when none was reported", () => {
    const answer = toAnthropicResponse(
      create(ChatCompletionResponseSchema, { id: "chatcmpl-2", model: "m", choices: [{ finishReason: "length" }] }),
    );
    expect(answer).toMatchObject({
      content: [],
      stop_reason: "max_tokens",
      usage: { input_tokens: 0, output_tokens: 0 },
    });
  });

  it("refuses to carry tool arguments that are not a JSON object", () => {
    const response = (args: string) =>
      create(ChatCompletionResponseSchema, {
        id: "chatcmpl-3",
        model: "m",
        choices: [
          {
            message: {
              role: "assistant",
              toolCalls: [{ id: "c", type: "function", function: { name: "f", arguments: args } }],
            },
            finishReason: "tool_calls",
          },
        ],
      });
    expect(toAnthropicResponse(response("")).content).toEqual([{ type: "tool_use", id: "c", name: "f", input: {} }]);
    expect(() => toAnthropicResponse(response("[1]"))).toThrow(UpstreamError);
    expect(() => toAnthropicResponse(response("{broken"))).toThrow(UpstreamError);
  });
});

describe("toAnthropicStopReason", () => {
  it.each([
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["tool_calls", "tool_use"],
    ["function_call", "tool_use"],
    ["content_filter", "refusal"],
    ["something_new", "end_turn"],
    [undefined, "end_turn"],
  ])("maps %s to %s", (finish, stop) => {
    expect(toAnthropicStopReason(finish)).toBe(stop);
  });
});
