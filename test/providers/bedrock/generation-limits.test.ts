import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema } from "../../../gen/openbedrock/v1/chat_pb.js";
import { maxTokensOf, stopSequencesOf } from "../../../src/providers/bedrock/generation-limits.js";

const request = (init: Parameters<typeof create<typeof ChatCompletionRequestSchema>>[1]) =>
  create(ChatCompletionRequestSchema, init);

describe("the generation limits every Bedrock family reads", () => {
  it("takes max_completion_tokens before max_tokens", () => {
    expect(maxTokensOf(request({ maxTokens: 10, maxCompletionTokens: 20 }))).toBe(20);
    expect(maxTokensOf(request({ maxTokens: 10 }))).toBe(10);
    expect(maxTokensOf(request({}))).toBeUndefined();
  });

  it("drops empty stop sequences, and answers undefined when none are left", () => {
    expect(stopSequencesOf(request({ stop: ["", "END", ""] }))).toEqual(["END"]);
    expect(stopSequencesOf(request({ stop: ["", ""] }))).toBeUndefined();
    expect(stopSequencesOf(request({}))).toBeUndefined();
  });
});
