import { APIError } from "openai";
import type { ChatCompletionChunk as OpenAIChunk } from "openai/resources/chat/completions";
import { Stream } from "openai/streaming";
import { afterEach, describe, expect, it } from "vitest";
import { type GatewayError, UpstreamError } from "../../../src/core/errors.js";
import { silentLogger } from "../../../src/core/logger.js";
import type { StreamWriter } from "../../../src/dialects/dialect.js";
import { openAIStreamWriter } from "../../../src/dialects/openai-chat/openai-stream-writer.js";
import { chatCompletionChunkJson } from "../../../src/dialects/openai-chat/to-openai-json.js";
import { sendStream } from "../../../src/transport/http/send-stream.js";
import { helloChunks } from "../../dialects/hello-chunks.js";
import { serve, type TestServer } from "../../helpers/http-server.js";

const chunks = helloChunks("chatcmpl-1");

describe("the OpenAI stream on the wire, as the chat route sends it", () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Sends the chunks, failing after two when given a failure, through sendStream, as the chat route does. */
  async function streamed(writer: StreamWriter, failure?: GatewayError): Promise<Response> {
    async function* upstream() {
      yield* chunks.slice(0, failure ? 2 : chunks.length);
      if (failure) throw failure;
    }
    server = await serve((_request, response) => {
      void sendStream(upstream(), writer, response, new AbortController().signal, silentLogger);
    });
    return fetch(server.url, { signal: AbortSignal.timeout(10_000) });
  }

  it("frames every chunk as `data: <json>\\n\\n` and ends with `data: [DONE]\\n\\n`", async () => {
    const body = await (await streamed(openAIStreamWriter(true))).text();
    const expected = chunks
      .map((chunk) => `data: ${JSON.stringify(chatCompletionChunkJson(chunk, true))}\n\n`)
      .join("");
    expect(body).toBe(`${expected}data: [DONE]\n\n`);
  });

  it("is read by the openai SDK's stream parser, usage included", async () => {
    const response = await streamed(openAIStreamWriter(true));
    const read: OpenAIChunk[] = [];
    for await (const chunk of Stream.fromSSEResponse<OpenAIChunk>(response, new AbortController())) read.push(chunk);
    expect(read.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("Hello");
    expect(read.at(-1)?.usage).toStrictEqual({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
    expect(read.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("ends a failed stream with the error event and no [DONE]", async () => {
    const body = await (
      await streamed(openAIStreamWriter(false), new UpstreamError("Bedrock failed mid-stream."))
    ).text();
    const events = body.split("\n\n").filter((event) => event !== "");
    expect(events).toHaveLength(3);
    expect(events.at(-1)).toBe(
      'data: {"error":{"message":"Bedrock failed mid-stream.","type":"upstream_error","param":null,"code":null}}',
    );
    expect(body).not.toContain("[DONE]");
    expect(body.endsWith("\n\n")).toBe(true);
  });

  it("makes the openai SDK throw an APIError after the chunks before the failure", async () => {
    const response = await streamed(openAIStreamWriter(false), new UpstreamError("Bedrock failed mid-stream."));
    const read: OpenAIChunk[] = [];
    let failure: unknown;
    try {
      for await (const chunk of Stream.fromSSEResponse<OpenAIChunk>(response, new AbortController())) read.push(chunk);
    } catch (error) {
      failure = error;
    }
    expect(read).toHaveLength(2);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).status).toBeUndefined();
    expect((failure as APIError).type).toBe("upstream_error");
    expect((failure as APIError).message).toContain("Bedrock failed mid-stream.");
  });
});
