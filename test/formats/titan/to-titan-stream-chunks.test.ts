import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import { TitanStreamChunks } from "../../../src/formats/titan/to-titan-stream-chunks.js";
import { fromOpenAIChunk } from "../../../src/providers/openai/from-openai-response.js";
import type { TitanTextStreamChunk } from "../../../src/wire/titan-text.js";
import { sseJson } from "../../helpers/wire-fixtures.js";
import { invokeStreamEvents } from "../../providers/bedrock/wire-fixtures.js";
import { providerReadsTitanStream } from "../provider-bodies.js";

function chunksOf(canonical: ChatCompletionChunk[]): TitanTextStreamChunk[] {
  const writer = new TitanStreamChunks();
  return [...canonical.flatMap((chunk) => writer.chunk(chunk)), ...writer.end()];
}

describe("TitanStreamChunks", () => {
  it("gives back the recorded Titan stream after the Titan provider read it, counts on the last chunk", async () => {
    const recorded = invokeStreamEvents("bedrock/titan_stream.eventstream.b64") as TitanTextStreamChunk[];
    const chunks = chunksOf(await providerReadsTitanStream(recorded));
    expect(chunks.map((chunk) => chunk.outputText)).toEqual(recorded.map((chunk) => chunk.outputText));
    expect(chunks.slice(0, -1).every((chunk) => chunk.completionReason === null)).toBe(true);
    expect(chunks.at(-1)).toEqual({
      outputText: "",
      index: 0,
      totalOutputTextTokenCount: 16,
      completionReason: "FINISH",
      inputTextTokenCount: 15,
    });
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

  it("ends with FINISH and no counts when the stream reported neither", () => {
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
