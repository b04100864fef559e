import { describe, expect, it } from "vitest";
import { RateLimitError, UpstreamError } from "../../../src/core/errors.js";
import { openAIStreamWriter } from "../../../src/dialects/openai-chat/openai-stream-writer.js";
import { chatCompletionChunkJson } from "../../../src/dialects/openai-chat/to-openai-json.js";
import { helloChunks } from "../hello-chunks.js";

const chunks = helloChunks("chatcmpl-1");

describe("openAIStreamWriter", () => {
  it("sends each chunk as one data event of OpenAI's chunk JSON", () => {
    for (const includeUsage of [true, false]) {
      const writer = openAIStreamWriter(includeUsage);
      for (const chunk of chunks) {
        expect(writer.chunk(chunk)).toStrictEqual([{ data: chatCompletionChunkJson(chunk, includeUsage) }]);
      }
    }
  });

  it("ends with [DONE]", () => {
    expect(openAIStreamWriter(false).end()).toStrictEqual([{ data: "[DONE]" }]);
  });

  it("reports a failure as an error object in a data event, with nothing after it", () => {
    const events = openAIStreamWriter(true).error(new RateLimitError("Slow down.", { retryAfterSeconds: 3 }));
    expect(events).toStrictEqual([
      {
        data: { error: { message: "Slow down.", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" } },
      },
    ]);
  });

  it("redacts secrets from the error it reports", () => {
    const [event] = openAIStreamWriter(false).error(new UpstreamError("Bedrock said: Bearer abcdefgh12345678xyz"));
    expect(JSON.stringify(event)).not.toContain("abcdefgh12345678xyz");
  });
});
