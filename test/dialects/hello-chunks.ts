import { create } from "@bufbuild/protobuf";
import { type ChatCompletionChunk, ChatCompletionChunkSchema } from "../../gen/openbedrock/v1/chat_pb.js";

/** A short streamed answer as canonical chunks: the role, "Hello", the finish reason, then the usage. */
export function helloChunks(id: string): ChatCompletionChunk[] {
  const base = { id, created: 1_700_000_000n, model: "gpt-4o" };
  return [
    create(ChatCompletionChunkSchema, { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" } }] }),
    create(ChatCompletionChunkSchema, { ...base, choices: [{ index: 0, delta: { content: "Hello" } }] }),
    create(ChatCompletionChunkSchema, { ...base, choices: [{ index: 0, delta: {}, finishReason: "stop" }] }),
    create(ChatCompletionChunkSchema, {
      ...base,
      choices: [],
      usage: { promptTokens: 3, completionTokens: 1, totalTokens: 4 },
    }),
  ];
}
