import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import { TitanStreamChunks } from "../../../src/dialects/bedrock-titan/to-titan-stream-chunks.js";
import { fromOpenAIChunk } from "../../../src/providers/openai/from-openai-response.js";
import type { TitanTextStreamChunk } from "../../../src/wire/titan-text.js";
import { sseJson } from "../../helpers/wire-fixtures.js";
import { invokeStreamEvents } from "../../providers/bedrock/wire-fixtures.js";
import { providerReadsTitanStream } from "../provider-bodies.js";

/** A clock that moves on by `step` ms at each reading, from 1000. */
function steppingClock(step: number) {
  let now = 1000 - step;
  return () => {
    now += step;
    return now;
  };
}

function chunksOf(canonical: ChatCompletionChunk[], writer = new TitanStreamChunks()): TitanTextStreamChunk[] {
  return [...canonical.flatMap((chunk) => writer.chunk(chunk)), ...writer.end()];
}

describe("TitanStreamChunks", () => {
  it("gives back the recorded Titan stream after the Titan provider read it, counts and metrics on the last chunk", async () => {
    const recorded = invokeStreamEvents("bedrock/titan_stream.eventstream.b64") as TitanTextStreamChunk[];
    const canonical = await providerReadsTitanStream(recorded);
    // Read at the start, at the first chunk (then no more until the end), and at the end.
    const chunks = chunksOf(canonical, new TitanStreamChunks(steppingClock(40.4)));
    expect(chunks.map((chunk) => chunk.outputText)).toEqual(recorded.map((chunk) => chunk.outputText));
    expect(chunks.slice(0, -1).every((chunk) => chunk.completionReason === null)).toBe(true);
    expect(chunks.slice(0, -1).every((chunk) => !("amazon-bedrock-invocationMetrics" in chunk))).toBe(true);
    expect(chunks.at(-1)).toEqual({
      outputText: "",
      index: 0,
      totalOutputTextTokenCount: 16,
      completionReason: "FINISH",
      inputTextTokenCount: 15,
      "amazon-bedrock-invocationMetrics": {
        inputTokenCount: 15,
        outputTokenCount: 16,
        invocationLatency: 81,
        firstByteLatency: 40,
      },
    });
    // The same keys as Bedrock's own last chunk.
    expect(Object.keys(chunks.at(-1)?.["amazon-bedrock-invocationMetrics"] ?? {}).sort()).toEqual(
      Object.keys(recorded.at(-1)?.["amazon-bedrock-invocationMetrics"] ?? {}).sort(),
    );
  });

  it("carries OpenAI's recorded stream, and the Titan provider reads back its text, reason and usage", async () => {
    const canonical = sseJson("openai/stream_text_include_usage.sse").map((chunk) => fromOpenAIChunk(chunk as never));
    const chunks = chunksOf(canonical);
    const text = canonical.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    expect(chunks.map((chunk) => chunk.outputText).join("")).toBe(text);
    const back = await providerReadsTitanStream(chunks);
    expect(back.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("")).toBe(text);
    expect(back.at(-2)?.choices[0]?.finishReason).toBe("stop");
    const usage = canonical.at(-1)?.usage;
    expect(back.at(-1)?.usage).toMatchObject({
      promptTokens: usage?.promptTokens,
      completionTokens: usage?.completionTokens,
    });
  });

  it("ends with FINISH and no counts or metrics when the stream reported neither", () => {
    expect(new TitanStreamChunks().end()).toEqual([
      {
        outputText: "",
        index: 0,
        totalOutputTextTokenCount: null,
        completionReason: "FINISH",
        inputTextTokenCount: null,
      },
    ]);
  });
});
