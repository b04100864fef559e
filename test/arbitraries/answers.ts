/** fast-check generators of complete answers and of the chunk streams that tell them. */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type ChatCompletionResponse,
  ChatCompletionResponseSchema,
} from "../../gen/openbedrock/v1/chat_pb.js";
import { anyText } from "./text.js";
import { toolArguments, toolName } from "./tools.js";

const usage = fc.option(
  fc
    .record({
      promptTokens: fc.integer({ min: 0, max: 100_000 }),
      completionTokens: fc.integer({ min: 0, max: 10_000 }),
      cached: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ promptTokens, completionTokens, cached }) => ({
      promptTokens: promptTokens + (cached ?? 0),
      completionTokens,
      totalTokens: promptTokens + (cached ?? 0) + completionTokens,
      ...(cached === undefined ? {} : { promptTokensDetails: { cachedTokens: cached } }),
    })),
  { nil: undefined },
);

export interface AnswerShape {
  text: string;
  calls: { id: string; name: string; input: Record<string, unknown> }[];
  finishReason: string;
  usage:
    | {
        promptTokens: number;
        completionTokens: number;
        totalTokens: number;
        promptTokensDetails?: { cachedTokens: number };
      }
    | undefined;
}

/** What an answer says; tool calls only when `rich`. */
export function answer(options: { rich: boolean }): fc.Arbitrary<AnswerShape> {
  const calls = options.rich
    ? fc.uniqueArray(
        fc.record({ id: fc.stringMatching(/^call_[A-Za-z0-9]{1,12}$/), name: toolName, input: toolArguments }),
        { maxLength: 3, selector: (call) => call.id },
      )
    : fc.constant<AnswerShape["calls"]>([]);
  return fc
    .record({
      text: anyText(40),
      calls,
      finishReason: fc.constantFrom("stop", "length", "content_filter"),
      usage,
    })
    .map((shape) => ({ ...shape, finishReason: shape.calls.length > 0 ? "tool_calls" : shape.finishReason }));
}

export function responseOf(shape: AnswerShape): ChatCompletionResponse {
  const toolCalls = shape.calls.map((call) => ({
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.input) },
  }));
  const content = shape.text === "" && toolCalls.length > 0 ? {} : { content: shape.text };
  return create(ChatCompletionResponseSchema, {
    id: "chatcmpl-roundtrip",
    created: 1_700_000_000n,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", ...content, toolCalls }, finishReason: shape.finishReason }],
    usage: shape.usage,
  });
}

/** Cuts a text into 1..n pieces at the given fractions. */
function pieces(whole: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((cut) => Math.floor(cut * whole.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let start = 0;
  for (const end of [...at, whole.length]) {
    if (end > start) out.push(whole.slice(start, end));
    start = Math.max(start, end);
  }
  return out;
}

/** An answer and the chunk stream that tells it (text in pieces, each call's arguments in fragments). */
export function streamedAnswer(options: { rich: boolean }): fc.Arbitrary<[AnswerShape, ChatCompletionChunk[]]> {
  const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 });
  return fc.tuple(answer(options), cuts, cuts).map(([shape, textCuts, argumentCuts]) => {
    const base = { id: "chatcmpl-roundtrip", created: 1_700_000_000n, model: "m" };
    const chunk = (delta: MessageInitShape<typeof ChatCompletionChunkSchema>["choices"]) =>
      create(ChatCompletionChunkSchema, { ...base, choices: delta });
    const chunks = [chunk([{ index: 0, delta: { role: "assistant", content: "" } }])];
    for (const piece of pieces(shape.text, textCuts)) chunks.push(chunk([{ index: 0, delta: { content: piece } }]));
    shape.calls.forEach((call, index) => {
      chunks.push(
        chunk([
          {
            index: 0,
            delta: {
              toolCalls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
            },
          },
        ]),
      );
      for (const fragment of pieces(JSON.stringify(call.input), argumentCuts)) {
        chunks.push(chunk([{ index: 0, delta: { toolCalls: [{ index, function: { arguments: fragment } }] } }]));
      }
    });
    chunks.push(chunk([{ index: 0, delta: {}, finishReason: shape.finishReason }]));
    if (shape.usage) chunks.push(create(ChatCompletionChunkSchema, { ...base, choices: [], usage: shape.usage }));
    return [shape, chunks];
  });
}
