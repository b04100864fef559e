import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import { GatewayError, InvalidRequestError, RateLimitError, UpstreamError } from "../../src/core/errors.js";
import type { StreamWriter } from "../../src/dialects/dialect.js";
import { DIALECTS } from "../../src/dialects/dialects.js";
import { errorAnswer } from "../../src/dialects/openai-chat/error-body.js";
import { SseWriter } from "../../src/transport/http/sse-writer.js";
import { serve, type TestServer } from "../helpers/http-server.js";
import { helloChunks } from "./hello-chunks.js";

const chunks = helloChunks("chatcmpl-abc");

const request = create(ChatCompletionRequestSchema, { model: "gpt-4o", streamOptions: { includeUsage: true } });
const chatRequest = (init: Parameters<typeof create<typeof ChatCompletionRequestSchema>>[1] = {}) =>
  create(ChatCompletionRequestSchema, { model: "m", messages: [{ role: "user", content: "hi" }], ...init });
const weather = { type: "function", function: { name: "get_weather" } };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Writes the chunks, then the end or the failure, the way the chat route does; answers the raw text. */
async function streamed(writer: StreamWriter, failure?: GatewayError): Promise<string> {
  server = await serve((_request, response) => {
    const sse = new SseWriter(response, new AbortController().signal);
    sse.start();
    void (async () => {
      for (const chunk of chunks.slice(0, failure ? 2 : chunks.length)) await sse.send(writer.chunk(chunk));
      await sse.send(failure ? writer.error(failure) : writer.end());
      sse.end();
    })();
  });
  return (await fetch(server.url, { signal: AbortSignal.timeout(10_000) })).text();
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
/** The latencies Bedrock's invocation metrics carry are clock readings; the rest of the text is exact. */
const latenciesZeroed = (text: string) => text.replace(/"(invocationLatency|firstByteLatency)":\d+/g, '"$1":0');
const metrics = { inputTokenCount: 3, outputTokenCount: 1, invocationLatency: 0, firstByteLatency: 0 };

describe("the Claude stream on the wire", () => {
  it("names every event by its type, as Anthropic's API frames it", async () => {
    const text = await streamed(DIALECTS.bedrock_claude.writeStream(request));
    expect(latenciesZeroed(text)).toBe(
      [
        frame("message_start", {
          type: "message_start",
          message: {
            id: "msg_abc",
            type: "message",
            role: "assistant",
            model: "gpt-4o",
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 0, output_tokens: 0 },
          },
        }),
        frame("content_block_start", {
          type: "content_block_start",
          index: 0,
          content_block: { type: "text", text: "" },
        }),
        frame("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: "Hello" },
        }),
        frame("content_block_stop", { type: "content_block_stop", index: 0 }),
        frame("message_delta", {
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: { input_tokens: 3, output_tokens: 1 },
        }),
        frame("message_stop", { type: "message_stop", "amazon-bedrock-invocationMetrics": metrics }),
      ].join(""),
    );
  });

  it("ends a failed stream with an error event in Anthropic's shape", async () => {
    const text = await streamed(DIALECTS.bedrock_claude.writeStream(request), new UpstreamError("Gone."));
    expect(text.endsWith(frame("error", { type: "error", error: { type: "api_error", message: "Gone." } }))).toBe(true);
    expect(text).not.toContain("message_stop");
  });
});

describe("the Titan stream on the wire", () => {
  it("sends each chunk as a data event and the counts on the last", async () => {
    const text = await streamed(DIALECTS.bedrock_titan.writeStream(request));
    expect(latenciesZeroed(text)).toBe(
      [
        {
          outputText: "Hello",
          index: 0,
          totalOutputTextTokenCount: null,
          completionReason: null,
          inputTextTokenCount: null,
        },
        {
          outputText: "",
          index: 0,
          totalOutputTextTokenCount: 1,
          completionReason: "FINISH",
          inputTextTokenCount: 3,
          "amazon-bedrock-invocationMetrics": metrics,
        },
      ]
        .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
        .join(""),
    );
  });

  it("ends a failed stream with an error event naming Bedrock's exception", async () => {
    const text = await streamed(DIALECTS.bedrock_titan.writeStream(request), new RateLimitError("Slow down."));
    expect(text.endsWith(frame("error", { type: "ThrottlingException", message: "Slow down." }))).toBe(true);
  });
});

describe("failure answers", () => {
  const failure = new RateLimitError("Slow down.", { retryAfterSeconds: 3 });

  it("keep OpenAI's status and headers in every shape", () => {
    const openai = errorAnswer(failure);
    expect(DIALECTS.openai.writeError(failure)).toEqual(openai);
    expect(DIALECTS.bedrock_claude.writeError(failure)).toEqual({
      status: 429,
      headers: openai.headers,
      body: { type: "error", error: { type: "rate_limit_error", message: "Slow down." } },
    });
    expect(DIALECTS.bedrock_titan.writeError(failure)).toEqual({
      status: 429,
      headers: { ...openai.headers, "x-amzn-errortype": "ThrottlingException" },
      body: { message: "Slow down." },
    });
  });

  it("name the field at fault in shapes without a param", () => {
    const bad = new InvalidRequestError("Expected a number.", { param: "top_k" });
    expect(DIALECTS.bedrock_claude.writeError(bad).body).toMatchObject({
      error: { message: "top_k: Expected a number." },
    });
    expect(DIALECTS.bedrock_titan.writeError(bad).body).toEqual({ message: "top_k: Expected a number." });
  });

  it("hide the text of an unexpected fault", () => {
    const answer = DIALECTS.bedrock_claude.writeError(GatewayError.from(new Error("secret internals")));
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain("secret internals");
  });
});

describe("prepareAnswer", () => {
  it("leaves OpenAI-shaped answers alone", () => {
    const asked = chatRequest({ n: 3, tools: [weather] });
    DIALECTS.openai.prepareAnswer(asked, true);
    expect(asked.streamOptions).toBeUndefined();
  });

  it("asks for usage on Bedrock-shaped streams, which report it at their end", () => {
    for (const target of ["bedrock_claude", "bedrock_titan"] as const) {
      const streamed = chatRequest();
      DIALECTS[target].prepareAnswer(streamed, true);
      expect(streamed.streamOptions?.includeUsage).toBe(true);
      const unary = chatRequest();
      DIALECTS[target].prepareAnswer(unary, false);
      expect(unary.streamOptions).toBeUndefined();
    }
  });

  it("refuses several choices for Bedrock shapes and tools for Titan's", () => {
    expect(() => DIALECTS.bedrock_claude.prepareAnswer(chatRequest({ n: 2 }), false)).toThrow(
      "'n' is not supported: a Claude-format answer (target_format=bedrock_claude) carries one choice.",
    );
    expect(() => DIALECTS.bedrock_titan.prepareAnswer(chatRequest({ n: 2 }), false)).toThrow(/'n'/);
    expect(() => DIALECTS.bedrock_titan.prepareAnswer(chatRequest({ tools: [weather] }), false)).toThrow(
      "'tools' is not supported: a Titan-format answer (target_format=bedrock_titan) cannot carry tool calls.",
    );
    expect(() => DIALECTS.bedrock_claude.prepareAnswer(chatRequest({ tools: [weather], n: 1 }), false)).not.toThrow();
  });
});
