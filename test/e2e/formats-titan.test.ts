/**
 * Titan text bodies in, and Titan-shaped answers out, through the real
 * server to the fake Bedrock Runtime and the fake OpenAI.
 */
import { describe, expect, it } from "vitest";
import { wireBody } from "../helpers/wire-fixtures.js";
import { postChat, readSse, useBothUpstreams } from "./formats-gateway.js";

const setup = useBothUpstreams();

const TITAN = "amazon.titan-text-express-v1";
const titanBody = () => wireBody("bedrock/titan_request.json");

interface TitanChunk {
  outputText: string;
  index: number;
  totalOutputTextTokenCount: number | null;
  completionReason: string | null;
  inputTextTokenCount: number | null;
  "amazon-bedrock-invocationMetrics"?: Record<string, number>;
}

/** Bedrock's invocation metrics on a last chunk: these counts, and latencies in whole milliseconds. */
function expectMetrics(chunk: TitanChunk | undefined, counts: { input: number; output: number }) {
  const metrics = chunk?.["amazon-bedrock-invocationMetrics"];
  expect(metrics).toEqual({
    inputTokenCount: counts.input,
    outputTokenCount: counts.output,
    invocationLatency: expect.any(Number),
    firstByteLatency: expect.any(Number),
  });
  const { invocationLatency = -1, firstByteLatency = -1 } = metrics ?? {};
  expect(Number.isInteger(invocationLatency) && Number.isInteger(firstByteLatency)).toBe(true);
  expect(0 <= firstByteLatency && firstByteLatency <= invocationLatency).toBe(true);
}

/** The chunks of a Titan SSE stream: data-only events of chunk JSON. */
function titanChunks(text: string): TitanChunk[] {
  const messages = readSse(text);
  expect(messages.every((message) => message.event === undefined)).toBe(true);
  return messages.map((message) => JSON.parse(message.data) as TitanChunk);
}

describe("a Titan body", () => {
  it("reaches a Titan model unchanged and is answered in Titan's shape", async () => {
    const response = await postChat(setup, titanBody(), `model=${TITAN}&target_format=bedrock_titan`);
    expect(response.status).toBe(200);
    expect(setup.bedrock.last()).toMatchObject({ operation: "invoke", modelId: TITAN });
    expect(setup.bedrock.last().body).toEqual(titanBody());
    const answer = (await response.json()) as { inputTextTokenCount: number; results: unknown[] };
    expect(answer.inputTextTokenCount).toBeGreaterThan(0);
    expect(answer.results).toEqual([
      { tokenCount: 8, outputText: "You said: What's the weather in Paris tomorrow?", completionReason: "FINISH" },
    ]);
  });

  it("streams from a Titan model as Titan chunks (query stream=true)", async () => {
    const response = await postChat(setup, titanBody(), `model=${TITAN}&stream=true&target_format=bedrock_titan`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(setup.bedrock.last().operation).toBe("invoke-with-response-stream");
    const chunks = titanChunks(await response.text());
    expect(chunks.map((chunk) => chunk.outputText).join("")).toBe("You said: What's the weather in Paris tomorrow?");
    expect(chunks.slice(0, -1).every((chunk) => chunk.completionReason === null)).toBe(true);
    const last = chunks.at(-1);
    expect(last).toMatchObject({ outputText: "", index: 0, completionReason: "FINISH", totalOutputTextTokenCount: 8 });
    expect(last?.inputTextTokenCount).toBeGreaterThan(0);
    expectMetrics(last, { input: last?.inputTextTokenCount ?? -1, output: 8 });
    expect(chunks.slice(0, -1).some((chunk) => "amazon-bedrock-invocationMetrics" in chunk)).toBe(false);
  });

  it("is answered by an OpenAI model in OpenAI's shape, the transcript read as turns", async () => {
    const response = await postChat(setup, {
      inputText: "System: Be brief.\n\nUser: Hi\nBot: Hello!\nUser: Weather in Paris?\nBot:",
      textGenerationConfig: { maxTokenCount: 64, temperature: 0.2 },
      model: "gpt-4o-mini",
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { object: string; choices: { message: { content: string } }[] };
    expect(answer.object).toBe("chat.completion");
    expect(answer.choices[0]?.message.content).toBe("You said: Weather in Paris?");
    expect(setup.openai.lastChatBody()).toMatchObject({
      max_tokens: 64,
      temperature: 0.2,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: "Weather in Paris?" },
      ],
    });
  });

  it("is answered by an OpenAI model in Claude's shape", async () => {
    const response = await postChat(
      setup,
      { inputText: "Tell me a joke", model: "gpt-4o-mini" },
      "target_format=bedrock_claude",
    );
    const answer = (await response.json()) as { type: string; content: unknown };
    expect(answer).toMatchObject({ type: "message", content: [{ type: "text", text: "You said: Tell me a joke" }] });
  });
});

describe("an OpenAI request answered in Titan's shape", () => {
  const openaiBody = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi Titan" }] };

  it("unary", async () => {
    setup.openai.enqueue({ kind: "reply", text: "Cut short", finishReason: "length" });
    const response = await postChat(setup, openaiBody, "target_format=bedrock_titan");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      inputTextTokenCount: 5,
      results: [{ tokenCount: 2, outputText: "Cut short", completionReason: "LENGTH" }],
    });
  });

  it("streaming, the counts and Bedrock's invocation metrics on the last chunk", async () => {
    const response = await postChat(setup, { ...openaiBody, stream: true }, "target_format=bedrock_titan");
    const chunks = titanChunks(await response.text());
    expect(chunks.map((chunk) => chunk.outputText)).toEqual(["You ", "said: ", "hi ", "Titan", ""]);
    expect(chunks.at(-1)).toMatchObject({
      outputText: "",
      index: 0,
      totalOutputTextTokenCount: 4,
      completionReason: "FINISH",
      inputTextTokenCount: 5,
    });
    expectMetrics(chunks.at(-1), { input: 5, output: 4 });
  });
});
