/**
 * Failures of the format interop through the real server: bad bodies of
 * each format, unknown target formats, and upstream failures before and
 * during a stream, each in the shape the target format gives errors.
 */
import { describe, expect, it } from "vitest";
import { postChat, readSse, sseEvents, useBothUpstreams } from "./formats-gateway.js";

const setup = useBothUpstreams();

const claude = {
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 100,
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hi" }],
};
const titan = { inputText: "User: hi\nBot:", model: "gpt-4o-mini" };
const openai = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
const badImage = {
  ...claude,
  messages: [
    {
      role: "user",
      content: [
        { type: "text", text: "what is this?" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "%%%" } },
      ],
    },
  ],
};

interface OpenAIError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

async function openAIError(response: Response) {
  return { status: response.status, ...((await response.json()) as OpenAIError).error };
}

function noUpstreamCall() {
  expect(setup.openai.chatRequests).toHaveLength(0);
  expect(setup.bedrock.requests).toHaveLength(0);
}

describe("target_format", () => {
  it("400 in OpenAI's shape for an unknown target_format, before anything is sent", async () => {
    for (const body of [openai, claude, titan]) {
      const error = await openAIError(await postChat(setup, body, "target_format=anthropic"));
      expect(error).toMatchObject({
        status: 400,
        type: "invalid_request_error",
        param: "target_format",
        code: "invalid_value",
      });
      expect(error.message).toContain("'openai', 'bedrock_claude', 'bedrock_titan'");
    }
    noUpstreamCall();
  });

  it("400 when the target cannot carry what the request asks: several choices, or tools for Titan", async () => {
    const choices = await postChat(setup, { ...openai, n: 2 }, "target_format=bedrock_claude");
    expect(choices.status).toBe(400);
    expect(await choices.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    const tools = await postChat(
      setup,
      { ...openai, tools: [{ type: "function", function: { name: "f" } }] },
      "target_format=bedrock_titan",
    );
    expect(tools.status).toBe(400);
    expect(tools.headers.get("x-amzn-errortype")).toBe("ValidationException");
    expect(((await tools.json()) as { message: string }).message).toContain("'tools'");
    noUpstreamCall();
  });
});

describe("bad bodies", () => {
  it("400 listing the accepted formats for a body in none of them", async () => {
    const error = await openAIError(await postChat(setup, { prompt: "hi" }));
    expect(error).toMatchObject({ status: 400, code: "unknown_request_format", param: null });
    expect(error.message).toContain("anthropic_version");
    expect(error.message).toContain("inputText");
    noUpstreamCall();
  });

  it.each<[string, unknown, string, string]>([
    ["a Claude body with a bad image", badImage, "", "messages.[0].content.[1].source.data"],
    ["a Claude body without max_tokens", { ...claude, max_tokens: undefined }, "", "max_tokens"],
    ["a Claude body with no model", { ...claude, model: undefined }, "", "model"],
    ["a Claude body with a wrong stream query", claude, "stream=maybe", "stream"],
    [
      "a Titan body with a bad temperature",
      { ...titan, textGenerationConfig: { temperature: 5 } },
      "",
      "textGenerationConfig.temperature",
    ],
    ["a Titan body with no model", { inputText: "hi" }, "", "model"],
    [
      "an OpenAI body with a bad role",
      { ...openai, messages: [{ role: "robot", content: "x" }] },
      "",
      "messages.[0].role",
    ],
  ])("400 naming the field for %s (OpenAI's shape by default)", async (_name, body, query, param) => {
    const error = await openAIError(await postChat(setup, body, query));
    expect(error).toMatchObject({ status: 400, type: "invalid_request_error", param });
    noUpstreamCall();
  });

  it("400 in Anthropic's error shape when the answer is to be Claude's, the field named in the message", async () => {
    const response = await postChat(setup, badImage, "target_format=bedrock_claude");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(Object.keys(body.error).sort()).toEqual(["message", "type"]);
    expect(body.error.message).toContain("messages.[0].content.[1].source.data");
    const broken = await postChat(setup, "{not json", "target_format=bedrock_claude");
    expect(await broken.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    noUpstreamCall();
  });

  it("400 in Bedrock's error shape when the answer is to be Titan's", async () => {
    const response = await postChat(setup, { ...titan, inputText: "" }, "target_format=bedrock_titan");
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("ValidationException");
    const body = (await response.json()) as { message: string };
    expect(Object.keys(body)).toEqual(["message"]);
    expect(body.message).toContain("inputText");
    noUpstreamCall();
  });
});

describe("upstream failures in the target's shape", () => {
  const rateLimited = {
    kind: "error" as const,
    status: 429,
    headers: { "retry-after": "7" },
    body: { error: { message: "Rate limit reached.", type: "requests", param: null, code: "rate_limit_exceeded" } },
  };

  it("a failure before the first chunk keeps its status: Claude's rate_limit_error, Bedrock's ThrottlingException", async () => {
    setup.openai.enqueue(rateLimited, rateLimited);
    const asClaude = await postChat(setup, { ...claude, stream: true }, "target_format=bedrock_claude");
    expect(asClaude.status).toBe(429);
    expect(asClaude.headers.get("retry-after")).toBe("7");
    expect(await asClaude.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    const asTitan = await postChat(setup, { ...titan, stream: true }, "target_format=bedrock_titan");
    expect(asTitan.status).toBe(429);
    expect(asTitan.headers.get("x-amzn-errortype")).toBe("ThrottlingException");
    expect(asTitan.headers.get("retry-after")).toBe("7");
  });

  it("a unary failure of a Bedrock model comes in Claude's shape", async () => {
    setup.bedrock.enqueue({
      kind: "error",
      status: 400,
      errorType: "ValidationException",
      message: "Input is too long.",
    });
    const response = await postChat(
      setup,
      { ...claude, model: "anthropic.claude-3-haiku-20240307-v1:0" },
      "target_format=bedrock_claude",
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("Input is too long.");
  });

  it("a failure mid-stream ends a Claude stream with an error event and no message_stop", async () => {
    setup.openai.enqueue({
      kind: "midstream-error",
      afterChunks: 2,
      error: { error: { message: "The server had an error.", type: "server_error", param: null, code: null } },
    });
    const response = await postChat(setup, { ...claude, stream: true }, "target_format=bedrock_claude");
    expect(response.status).toBe(200);
    const events = sseEvents(await response.text());
    expect(events.at(-1)?.event).toBe("error");
    expect(events.at(-1)?.data).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect(JSON.stringify(events.at(-1)?.data)).toContain("The server had an error.");
    expect(events.map((event) => event.event)).not.toContain("message_stop");
    expect(events[0]?.event).toBe("message_start");
  });

  it("a failure mid-stream ends a Titan stream with an error event naming Bedrock's exception", async () => {
    setup.bedrock.enqueue({
      kind: "stream-exception",
      afterFrames: 1,
      exceptionType: "throttlingException",
      body: { message: "Too many requests, please wait before trying again." },
    });
    const response = await postChat(
      setup,
      { ...titan, model: "amazon.titan-text-express-v1", stream: true },
      "target_format=bedrock_titan",
    );
    expect(response.status).toBe(200);
    const messages = readSse(await response.text());
    const last = messages.at(-1);
    expect(last?.event).toBe("error");
    expect(JSON.parse(last?.data ?? "")).toMatchObject({ type: "ThrottlingException" });
    // The chunk sent before the failure, then the error.
    expect(messages).toHaveLength(2);
    expect(messages[0]?.event).toBeUndefined();
    expect(JSON.parse(messages[0]?.data ?? "")).toMatchObject({ index: 0, completionReason: null });
  });
});

describe("a caller that leaves a Bedrock-shaped stream", () => {
  it("has the upstream call aborted", async () => {
    setup.bedrock.enqueue({ kind: "reply", text: "one two three four five six", holdAfterFrames: 3 });
    const controller = new AbortController();
    const response = await fetch(`${setup.gateway.url}/v1/chat/completions?target_format=bedrock_claude`, {
      method: "POST",
      headers: { authorization: `Bearer ${setup.gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify({ ...claude, model: "anthropic.claude-3-haiku-20240307-v1:0", stream: true }),
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    let text = "";
    while (!text.includes("text_delta")) {
      const read = await reader?.read();
      if (!read || read.done) break;
      text += Buffer.from(read.value).toString("utf8");
    }
    expect(text).toContain("event: message_start");
    controller.abort();
    await setup.bedrock.last().whenAborted;
    expect(setup.bedrock.last().aborted).toBe(true);
  });
});
