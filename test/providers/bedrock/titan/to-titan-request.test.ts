import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import { TITAN_DEFAULT_STOP } from "../../../../src/providers/bedrock/titan/to-titan-request.js";
import { canonicalRequest, fixtureJson, titanBody as titanFamilyBody } from "../wire-fixtures.js";

function titanBody(body: Record<string, unknown>) {
  return titanFamilyBody(canonicalRequest({ model: "amazon.titan-text-express-v1", ...body }));
}

describe("toTitanRequest", () => {
  it("writes the chat as the Titan example's transcript and generation config", () => {
    const body = titanBody({
      messages: [
        { role: "system", content: "You are a concise weather assistant." },
        { role: "user", content: "What's the weather in Paris tomorrow?" },
      ],
      max_tokens: 512,
      temperature: 0.7,
      top_p: 0.9,
      stop: ["User:"],
    });
    expect(body).toEqual(fixtureJson("bedrock/titan_request.json"));
  });

  it("renders earlier turns as User / Bot lines and stops at the next User: by default", () => {
    const body = titanBody({
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello! How can I help?" },
        {
          role: "user",
          content: [
            { type: "text", text: "Tell me" },
            { type: "text", text: "a joke" },
          ],
        },
      ],
    });
    expect(body).toEqual({
      inputText: "User: Hi\nBot: Hello! How can I help?\nUser: Tell me\na joke\nBot:",
      textGenerationConfig: { stopSequences: [TITAN_DEFAULT_STOP] },
    });
  });

  it("sends the caller's stop sequences instead of the default, not beside it (Titan takes one)", () => {
    const pipe = titanBody({ messages: [{ role: "user", content: "List three" }], stop: ["|"] });
    expect(pipe.textGenerationConfig).toEqual({ stopSequences: ["|"] });
    const user = titanBody({ messages: [{ role: "user", content: "Hi" }], stop: ["", TITAN_DEFAULT_STOP] });
    expect(user.textGenerationConfig).toEqual({ stopSequences: [TITAN_DEFAULT_STOP] });
  });

  it("lets a final assistant message be continued", () => {
    const body = titanBody({
      messages: [
        { role: "user", content: "Count to three" },
        { role: "assistant", content: "One, two," },
      ],
      max_completion_tokens: 5,
    });
    expect(body.inputText).toBe("User: Count to three\nBot: One, two,");
    expect(body.textGenerationConfig?.maxTokenCount).toBe(5);
  });

  it.each([
    [{ tools: [{ type: "function", function: { name: "f" } }] }, "tools"],
    [{ top_k: 5 }, "top_k"],
    [{ n: 2 }, "n"],
    [{ temperature: 1.5 }, "temperature"],
    [{ response_format: { type: "json_object" } }, "response_format"],
    [
      {
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }] }],
      },
      "messages.[0].content.[0]",
    ],
    [
      {
        messages: [
          { role: "user", content: "x" },
          { role: "assistant", tool_calls: [{ id: "1", type: "function", function: { name: "f", arguments: "{}" } }] },
          { role: "tool", tool_call_id: "1", content: "r" },
        ],
      },
      "messages.[1].tool_calls",
    ],
  ])("refuses %j naming %s", (extra, param) => {
    let error: unknown;
    try {
      titanBody({ messages: [{ role: "user", content: "x" }], ...extra });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).param).toBe(param);
    expect((error as InvalidRequestError).message).toMatch(/titan/i);
  });
});
