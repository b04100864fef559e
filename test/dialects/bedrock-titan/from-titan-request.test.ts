import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { validateChatRequest } from "../../../src/core/validate-request.js";
import { fromTitanRequest } from "../../../src/dialects/bedrock-titan/from-titan-request.js";
import { readTitanTranscript } from "../../../src/dialects/bedrock-titan/read-titan-transcript.js";
import { fixtureJson } from "../../providers/bedrock/wire-fixtures.js";
import { providerTitanBody } from "../provider-bodies.js";

const MODEL = "amazon.titan-text-express-v1";
const titanBody = () => fixtureJson("bedrock/titan_request.json");

function failure(body: unknown): InvalidRequestError {
  try {
    fromTitanRequest(body, { model: MODEL });
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("the body was accepted");
}

const roles = (text: string) => readTitanTranscript(text).map((message) => [message.role, message.content]);

describe("readTitanTranscript", () => {
  it("reads the documented transcript: a System paragraph, User and Bot lines, the final Bot: cue dropped", () => {
    expect(roles("System: Be brief.\n\nUser: Hi\nBot: Hello!\nUser: Weather?\nline two\nBot:")).toEqual([
      ["system", "Be brief."],
      ["user", "Hi"],
      ["assistant", "Hello!"],
      ["user", "Weather?\nline two"],
    ]);
  });

  it("keeps a final Bot line with text as an assistant turn to continue", () => {
    expect(roles("User: Count to three.\nBot: One,")).toEqual([
      ["user", "Count to three."],
      ["assistant", "One,"],
    ]);
  });

  it("takes any other text as one user message, as it stands", () => {
    for (const text of ["Summarize: User: is a word here", "System: no transcript follows", "  User: indented"]) {
      expect(roles(text)).toEqual([["user", text]]);
    }
  });
});

describe("fromTitanRequest", () => {
  it("reads the Titan example into a system and a user message with its generation config", () => {
    const { request, stream } = fromTitanRequest(titanBody(), { model: MODEL });
    validateChatRequest(request);
    expect(stream).toBe(false);
    expect(request.messages.map((message) => [message.role, message.content])).toEqual([
      ["system", "You are a concise weather assistant."],
      ["user", "What's the weather in Paris tomorrow?"],
    ]);
    expect(request).toMatchObject({ model: MODEL, maxTokens: 512, temperature: 0.7, topP: 0.9, stop: ["User:"] });
  });

  it("gives back the same Titan body when the Titan provider sends the request on", () => {
    const { request } = fromTitanRequest(titanBody(), { model: MODEL });
    expect(providerTitanBody(request)).toEqual(titanBody());
  });

  it("needs no textGenerationConfig, and streams when the body or the query asks", () => {
    const bare = fromTitanRequest({ inputText: "Hello", model: MODEL });
    expect(bare.request.messages).toHaveLength(1);
    expect(bare.request.maxTokens).toBeUndefined();
    expect(bare.request.stop).toEqual([]);
    expect(fromTitanRequest({ inputText: "Hello", stream: true }, { model: MODEL }).stream).toBe(true);
    expect(fromTitanRequest({ inputText: "Hello" }, { model: MODEL, stream: true }).stream).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["inputText not a string", { inputText: 42 }, "inputText", "invalid_type"],
    ["empty inputText", { inputText: "" }, "inputText", "invalid_value"],
    ["textGenerationConfig not an object", { textGenerationConfig: "hot" }, "textGenerationConfig", "invalid_type"],
    [
      "maxTokenCount 0",
      { textGenerationConfig: { maxTokenCount: 0 } },
      "textGenerationConfig.maxTokenCount",
      "invalid_value",
    ],
    [
      "maxTokenCount a fraction",
      { textGenerationConfig: { maxTokenCount: 1.5 } },
      "textGenerationConfig.maxTokenCount",
      "invalid_type",
    ],
    [
      "temperature above 1",
      { textGenerationConfig: { temperature: 2 } },
      "textGenerationConfig.temperature",
      "invalid_value",
    ],
    ["topP a string", { textGenerationConfig: { topP: "x" } }, "textGenerationConfig.topP", "invalid_type"],
    [
      "a stop sequence that is not a string",
      { textGenerationConfig: { stopSequences: ["User:", 3] } },
      "textGenerationConfig.stopSequences.[1]",
      "invalid_type",
    ],
    ["stream not a boolean", { stream: 1 }, "stream", "invalid_type"],
  ])("refuses %s, naming the field", (_name, change, param, code) => {
    const error = failure({ inputText: "User: hi\nBot:", ...change });
    expect({ param: error.param, code: error.code }).toEqual({ param, code });
    expect(error.message).toContain(param);
  });

  it("refuses a body that names no model", () => {
    expect(() => fromTitanRequest({ inputText: "hi" })).toThrow(/model/);
  });
});
