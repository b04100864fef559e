import { create, type JsonValue } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChatCompletionChunkSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { InvalidRequestError, RateLimitError } from "../../../src/core/errors.js";
import {
  CHARACTERS_PER_TOKEN,
  estimateInputTokens,
  TOKENS_PER_BINARY_SOURCE,
} from "../../../src/dialects/anthropic-messages/estimate-input-tokens.js";
import {
  canonicalMessagesStream,
  messagesToCanonical,
  nativeMessagesStream,
  readBetaHeader,
  readMessagesApiBody,
} from "../../../src/dialects/anthropic-messages/messages-api.js";
import { wireBody } from "../../helpers/wire-fixtures.js";

describe("readMessagesApiBody", () => {
  it("reads the model and whether to stream, and keeps the body as sent", () => {
    const body = { model: " claude-sonnet-4-5 ", max_tokens: 5, messages: [], stream: true, thinking: { type: "x" } };
    expect(readMessagesApiBody(body)).toEqual({ body, model: "claude-sonnet-4-5", stream: true });
  });

  it.each([
    [[], "an array"],
    [{ max_tokens: 5 }, "no model"],
    [{ model: "  " }, "a blank model"],
    [{ model: 4 }, "a model that is no string"],
    [{ model: "m", stream: "yes" }, "a stream that is no boolean"],
  ] as [unknown, string][])("refuses %j (%s) as an invalid request", (body, _why) => {
    expect(() => readMessagesApiBody(body)).toThrow(InvalidRequestError);
  });
});

describe("readBetaHeader", () => {
  it("splits comma-separated and repeated headers", () => {
    expect(readBetaHeader("a-1, b-2,,c-3 ")).toEqual(["a-1", "b-2", "c-3"]);
    expect(readBetaHeader(["a-1", "b-2,c-3"])).toEqual(["a-1", "b-2", "c-3"]);
    expect(readBetaHeader(undefined)).toEqual([]);
  });
});

describe("messagesToCanonical", () => {
  it("reads Anthropic's body without anthropic_version, and asks a stream for its usage", () => {
    const request = messagesToCanonical({
      model: "gpt-4o",
      max_tokens: 7,
      stream: true,
      system: [{ type: "text", text: "Be brief." }],
      messages: [{ role: "user", content: "hi" }],
    });
    expect(request.model).toBe("gpt-4o");
    expect(request.maxTokens).toBe(7);
    expect(request.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(request.streamOptions?.includeUsage).toBe(true);
  });

  it("reads the recorded Claude request the Bedrock body reader reads", () => {
    const { anthropic_version: _version, ...body } = wireBody("bedrock/claude_invoke_request.json");
    const request = messagesToCanonical({ model: "gpt-4o", ...body });
    expect(request.messages.length).toBeGreaterThan(0);
    expect(request.tools.length).toBe(((body.tools as unknown[] | undefined) ?? []).length);
  });
});

describe("thinking for models that are not Claude", () => {
  const withThinking = (thinking: JsonValue) =>
    messagesToCanonical({ model: "gpt-5", max_tokens: 20000, thinking, messages: [{ role: "user", content: "hi" }] });

  it.each([
    [{ type: "enabled", budget_tokens: 1024 }, "minimal"],
    [{ type: "enabled", budget_tokens: 2048 }, "low"],
    [{ type: "enabled", budget_tokens: 4096 }, "medium"],
    [{ type: "enabled", budget_tokens: 8192 }, "medium"],
    [{ type: "enabled", budget_tokens: 31999 }, "high"],
    [{ type: "adaptive" }, "medium"],
    [{ type: "disabled" }, ""],
  ])("reads %j as the reasoning effort %j, and sends no thinking field", (thinking, effort) => {
    const request = withThinking(thinking);
    expect(request.reasoningEffort).toBe(effort);
    expect(request.extensions?.thinking).toBeUndefined();
  });

  it("keeps the other fields of the body in extensions", () => {
    const request = messagesToCanonical({
      model: "gpt-5",
      max_tokens: 100,
      thinking: { type: "adaptive" },
      service_tier: "auto",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(request.extensions).toEqual({ service_tier: "auto" });
  });

  it.each([["on"], [{ type: "enabled" }], [{ type: "sometimes" }], [null]])(
    "refuses %j naming thinking",
    (thinking) => {
      expect(() => withThinking(thinking)).toThrow(expect.objectContaining({ param: "thinking" }));
    },
  );
});

describe("the stream writers", () => {
  it("names each native event by its type and sends a ping after message_start", () => {
    const writer = nativeMessagesStream();
    expect(writer.chunk({ type: "message_start", message: {} })).toEqual([
      { event: "message_start", data: { type: "message_start", message: {} } },
      { event: "ping", data: { type: "ping" } },
    ]);
    expect(writer.chunk({ type: "message_stop" })).toEqual([{ event: "message_stop", data: { type: "message_stop" } }]);
    expect(writer.end()).toEqual([]);
    expect(writer.error(new RateLimitError("slow down"))).toEqual([
      { event: "error", data: { type: "error", error: { type: "rate_limit_error", message: "slow down" } } },
    ]);
  });

  it("writes canonical chunks as Anthropic's events, with one ping after message_start", () => {
    const writer = canonicalMessagesStream();
    const chunk = create(ChatCompletionChunkSchema, {
      id: "chatcmpl-1",
      model: "gpt-4o",
      choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }],
    });
    const events = [...writer.chunk(chunk), ...writer.end()];
    expect(events.map((event) => event.event)).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const event of events) expect((event.data as { type: string }).type).toBe(event.event);
  });
});

describe("estimateInputTokens", () => {
  it("counts the characters of the prompt, four to a token, and each image or PDF at a fixed cost", () => {
    const text = "x".repeat(40);
    const image = { type: "image", source: { type: "base64", media_type: "image/png", data: "A".repeat(9999) } };
    const plain = estimateInputTokens({ model: "m", system: text });
    expect(plain).toBe(text.length / CHARACTERS_PER_TOKEN);
    // The block's `source` key is text too; its base64 data is not.
    const withImage = estimateInputTokens({ model: "m", system: text, messages: [image] });
    expect(withImage).toBe(
      Math.ceil((text.length + "source".length) / CHARACTERS_PER_TOKEN) + TOKENS_PER_BINARY_SOURCE,
    );
  });

  it("ignores the model, the sampling settings and cache marks", () => {
    const base = { system: "Be brief.", messages: [{ role: "user", content: "hi" }] };
    expect(estimateInputTokens({ ...base, model: "a-very-long-model-name", max_tokens: 100000, temperature: 1 })).toBe(
      estimateInputTokens({ ...base, model: "m" }),
    );
    expect(
      estimateInputTokens({
        model: "m",
        system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral", ttl: "1h" } }],
      }),
    ).toBe(estimateInputTokens({ model: "m", system: [{ type: "text", text: "Be brief." }] }));
  });

  it("grows with the prompt and is never negative", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (first, more) => {
        const one = estimateInputTokens({ messages: [{ role: "user", content: first }] });
        const two = estimateInputTokens({ messages: [{ role: "user", content: first + more }] });
        expect(one).toBeGreaterThanOrEqual(0);
        expect(two).toBeGreaterThanOrEqual(one);
      }),
    );
  });
});
