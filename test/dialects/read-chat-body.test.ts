import { describe, expect, it } from "vitest";
import { readChatBody } from "../../src/dialects/read-chat-body.js";

const query = (text = "") => ({ query: new URLSearchParams(text) });
const claude = { anthropic_version: "bedrock-2023-05-31", max_tokens: 10, messages: [{ role: "user", content: "hi" }] };

describe("readChatBody", () => {
  it("reads each format by its own rules", () => {
    const openai = readChatBody(
      { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true },
      query(),
    );
    expect(openai).toMatchObject({ format: "openai", stream: true, request: { model: "gpt-4o" } });
    const fromClaude = readChatBody(claude, query("model=anthropic.claude-3-haiku-20240307-v1:0&stream=true"));
    expect(fromClaude).toMatchObject({
      format: "bedrock_claude",
      stream: true,
      request: { model: "anthropic.claude-3-haiku-20240307-v1:0", maxTokens: 10 },
    });
    const fromTitan = readChatBody({ inputText: "hi" }, query("model=amazon.titan-text-lite-v1"));
    expect(fromTitan).toMatchObject({
      format: "bedrock_titan",
      stream: false,
      request: { model: "amazon.titan-text-lite-v1" },
    });
  });

  it("leaves an OpenAI body's model and stream to the body", () => {
    const read = readChatBody({ model: "gpt-4o", messages: [] }, query("model=other&stream=true"));
    expect(read).toMatchObject({ stream: false, request: { model: "gpt-4o" } });
  });
});
