import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readEventStream } from "../../../../src/providers/bedrock/aws/read-event-stream.js";
import { chunkFrame, decodeFrames, eventFrame, exceptionFrame } from "../../../fakes/fake-bedrock-eventstream.js";
import { collect, fixtureEventStream } from "../wire-fixtures.js";

const RECORDED = [
  "bedrock/claude_stream_text.eventstream.b64",
  "bedrock/claude_stream_tool_use.eventstream.b64",
  "bedrock/claude_stream_midstream_throttling.eventstream.b64",
  "bedrock/converse_stream_tool_use.eventstream.b64",
  "bedrock/titan_stream.eventstream.b64",
  "bedrock/stream_exception_examples.eventstream.b64",
];

/** The body cut at these offsets, as reads off the network would cut it. */
async function* pieces(body: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    yield body.subarray(start, cut);
    start = cut;
  }
  yield body.subarray(start);
}

describe("readEventStream", () => {
  it.each(RECORDED)("reads the messages of %s as the codec decodes the whole body", async (path) => {
    const body = fixtureEventStream(path);
    expect(await collect(readEventStream(pieces(body, [])))).toEqual(decodeFrames(body));
  });

  it("reads the same messages however the bytes are split across reads", async () => {
    const body = Buffer.concat([
      eventFrame("messageStart", { role: "assistant" }),
      chunkFrame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ünïcödé" } }),
      exceptionFrame("throttlingException", { message: "Slow down." }),
      fixtureEventStream("bedrock/claude_stream_tool_use.eventstream.b64"),
    ]);
    const whole = decodeFrames(body);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: body.length }), { maxLength: 40 }), async (cuts) => {
        expect(await collect(readEventStream(pieces(body, cuts)))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it("reads a body delivered one byte at a time", async () => {
    const body = fixtureEventStream("bedrock/converse_stream_tool_use.eventstream.b64");
    const everyByte = Array.from({ length: body.length }, (_, index) => index);
    expect(await collect(readEventStream(pieces(body, everyByte)))).toEqual(decodeFrames(body));
  });

  it("fails as the SDK does on a body that ends inside a message", async () => {
    const body = fixtureEventStream("bedrock/claude_stream_text.eventstream.b64");
    await expect(collect(readEventStream(pieces(body.subarray(0, body.length - 3), [])))).rejects.toThrow(
      "Truncated event message received.",
    );
  });

  it("refuses a message whose checksum is wrong, and one too short to be a message", async () => {
    const frame = Buffer.from(eventFrame("messageStart", { role: "assistant" }));
    frame[frame.length - 8] = (frame[frame.length - 8] ?? 0) ^ 1;
    await expect(collect(readEventStream(pieces(frame, [])))).rejects.toThrow(/checksum/);
    const tooShort = Buffer.from([0, 0, 0, 8, 0, 0, 0, 0]);
    await expect(collect(readEventStream(pieces(tooShort, [])))).rejects.toThrow(/too short/);
  });

  it("reads an empty body as no messages", async () => {
    expect(await collect(readEventStream(pieces(new Uint8Array(), [])))).toEqual([]);
  });
});
