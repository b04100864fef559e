import type { JsonObject } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { Usage } from "../../../../gen/openbedrock/v1/chat_pb.js";
import {
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "../../../../src/core/errors.js";
import type { MessagesCall } from "../../../../src/core/provider.js";
import type { BedrockExchange } from "../../../../src/providers/bedrock/bedrock-exchange.js";
import { claudeMessages, countingModelId } from "../../../../src/providers/bedrock/claude/claude-messages.js";
import { wireBody, wireText } from "../../../helpers/wire-fixtures.js";

const SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

/** An exchange that answers with recorded wire examples and notes what it was sent. */
function recordedExchange(answers: { invoke?: unknown; events?: unknown[]; count?: () => Promise<number> }) {
  const sent: { operation: string; modelId: string; body: unknown }[] = [];
  const exchange: Pick<BedrockExchange, "invoke" | "invokeStream" | "countTokens"> = {
    invoke: async (modelId, body) => {
      sent.push({ operation: "invoke", modelId, body });
      return answers.invoke;
    },
    async *invokeStream(modelId, body) {
      sent.push({ operation: "invokeStream", modelId, body });
      yield* answers.events ?? [];
    },
    countTokens: (modelId, body) => {
      sent.push({ operation: "countTokens", modelId, body });
      return answers.count?.() ?? Promise.resolve(0);
    },
  };
  return { exchange: exchange as BedrockExchange, sent };
}

function call(modelId = SONNET, betas: string[] = []): MessagesCall & { reported: Usage[] } {
  const reported: Usage[] = [];
  return { modelId, signal: new AbortController().signal, betas, usage: (usage) => reported.push(usage), reported };
}

const body: JsonObject = { model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "hi" }] };

describe("claudeMessages", () => {
  it("takes Anthropic bodies for Claude chat models only", () => {
    const { exchange } = recordedExchange({});
    const messages = claudeMessages(exchange, { autoCache: false });
    expect(messages.takesMessagesBody(SONNET)).toBe(true);
    expect(messages.takesMessagesBody("anthropic.claude-3-haiku-20240307-v1:0")).toBe(true);
    expect(
      messages.takesMessagesBody("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"),
    ).toBe(true);
    expect(messages.takesMessagesBody("amazon.nova-lite-v1:0")).toBe(false);
    expect(messages.takesMessagesBody("amazon.titan-embed-text-v2:0")).toBe(false);
    expect(messages.takesMessagesBody("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x")).toBe(
      false,
    );
  });

  it("gives back the recorded answer as it is and reports its usage", async () => {
    const answer = wireBody("bedrock/claude_invoke_response_text.json");
    const { exchange, sent } = recordedExchange({ invoke: answer });
    const unary = call(SONNET, ["interleaved-thinking-2025-05-14"]);
    expect(await claudeMessages(exchange, { autoCache: false }).createMessage(body, unary)).toEqual(answer);
    expect(sent).toEqual([
      {
        operation: "invoke",
        modelId: SONNET,
        body: {
          anthropic_version: "bedrock-2023-05-31",
          max_tokens: 100,
          messages: body.messages,
          anthropic_beta: ["interleaved-thinking-2025-05-14"],
        },
      },
    ]);
    expect(unary.reported.map((usage) => usage.promptTokens)).toEqual([412]);
  });

  it("relays the recorded stream's events unchanged and reports the usage once, at message_stop", async () => {
    const events = wireText("bedrock/claude_stream_text.events.jsonl")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as unknown);
    const { exchange } = recordedExchange({ events });
    const streamed = call();
    const relayed: unknown[] = [];
    for await (const event of claudeMessages(exchange, { autoCache: false }).streamMessage(body, streamed)) {
      relayed.push(event);
    }
    expect(relayed).toEqual(events);
    expect(streamed.reported).toHaveLength(1);
    expect(streamed.reported[0]).toMatchObject({ promptTokens: 412, completionTokens: 17, totalTokens: 429 });
  });

  it("counts on the foundation model behind a profile or ARN, with the max_tokens InvokeModel needs", async () => {
    const { exchange, sent } = recordedExchange({ count: async () => 42 });
    const messages = claudeMessages(exchange, { autoCache: false });
    const { model: _model, max_tokens: _max, ...counted } = body;
    expect(await messages.countMessageTokens(counted, call())).toBe(42);
    expect(sent[0]).toEqual({
      operation: "countTokens",
      modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
      body: { max_tokens: 1, anthropic_version: "bedrock-2023-05-31", messages: body.messages },
    });
  });

  it.each([
    ["the model", new InvalidRequestError("The provided model doesn't support counting tokens.")],
    ["the region", new ModelNotFoundError("Unknown operation")],
    ["the account's policy", new PermissionDeniedError("not authorized to perform: bedrock:CountTokens")],
  ])("answers undefined where %s does not let Bedrock count", async (_why, failure) => {
    const cannot = recordedExchange({ count: () => Promise.reject(failure) });
    expect(
      await claudeMessages(cannot.exchange, { autoCache: false }).countMessageTokens(body, call()),
    ).toBeUndefined();
  });

  it.each([
    ["a body Claude refuses", new InvalidRequestError("messages: Field required")],
    ["throttling", new RateLimitError("slow down")],
  ])("passes on any other failure: %s", async (_why, failure) => {
    const failing = recordedExchange({ count: () => Promise.reject(failure) });
    await expect(claudeMessages(failing.exchange, { autoCache: false }).countMessageTokens(body, call())).rejects.toBe(
      failure,
    );
  });
});

describe("countingModelId", () => {
  it.each([
    ["anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"],
    ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
    ["global.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"],
    [
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-20250514-v1:0",
      "anthropic.claude-sonnet-4-20250514-v1:0",
    ],
    ["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123", undefined],
    ["amazon.nova-lite-v1:0", undefined],
  ])("%s counts on %s", (modelId, expected) => {
    expect(countingModelId(modelId)).toBe(expected);
  });
});
