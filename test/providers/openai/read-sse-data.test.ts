import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readSseData } from "../../../src/providers/openai/read-sse-data.js";
import { sseData, wireFiles, wireText } from "../../helpers/wire-fixtures.js";

const FIXTURES = wireFiles("openai", ".sse");

/** The body as the network might deliver it: cut at these byte offsets. */
async function* delivered(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const at of [...new Set(cuts)].sort((a, b) => a - b)) {
    yield bytes.subarray(from, at);
    from = at;
  }
  yield bytes.subarray(from);
}

async function read(bytes: Uint8Array, cuts: number[] = []): Promise<string[]> {
  const events: string[] = [];
  for await (const data of readSseData(delivered(bytes, cuts))) events.push(data);
  return events;
}

const encode = (text: string) => new TextEncoder().encode(text);
/** SSE allows CRLF, CR or LF at the end of each line. */
const lineEnding = fc.constantFrom("\n", "\r\n", "\r");
const cutsWithin = (length: number) => fc.array(fc.integer({ min: 0, max: length }), { maxLength: 40 });

describe("readSseData", () => {
  it.each(FIXTURES)("reads the data of every event of %s", async (name) => {
    const text = wireText(`openai/${name}`);
    expect(await read(encode(text))).toStrictEqual(sseData(text));
  });

  it.each(FIXTURES)("reads %s the same however its bytes are split and whatever its line endings", async (name) => {
    const text = wireText(`openai/${name}`);
    const expected = sseData(text);
    await fc.assert(
      fc.asyncProperty(
        lineEnding.chain((ending) => {
          const bytes = encode(text.replaceAll("\n", ending));
          return fc.tuple(fc.constant(bytes), cutsWithin(bytes.length));
        }),
        async ([bytes, cuts]) => {
          expect(await read(bytes, cuts)).toStrictEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reads any events, multi-line data and comments included, however they are split", async () => {
    const line = fc.string({ unit: "grapheme", maxLength: 12 }).filter((text) => !/[\r\n]/.test(text));
    const event = fc.record({ comment: fc.boolean(), data: fc.array(line, { minLength: 1, maxLength: 3 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.array(event, { maxLength: 6 }), lineEnding).chain(([events, ending]) => {
          const text = events
            .map(({ comment, data }) =>
              [...(comment ? [": keep-alive"] : []), ...data.map((value) => `data: ${value}`), ""].join(ending),
            )
            .map((lines) => `${lines}${ending}`)
            .join("");
          const bytes = encode(text);
          return fc.tuple(fc.constant(events), fc.constant(bytes), cutsWithin(bytes.length));
        }),
        async ([events, bytes, cuts]) => {
          expect(await read(bytes, cuts)).toStrictEqual(events.map(({ data }) => data.join("\n")));
        },
      ),
      { numRuns: 300 },
    );
  });
});
