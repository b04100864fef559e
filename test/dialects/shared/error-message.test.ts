import { describe, expect, it } from "vitest";
import { InvalidRequestError, RateLimitError, UpstreamError } from "../../../src/core/errors.js";
import { toAnthropicError } from "../../../src/dialects/anthropic-messages/to-anthropic-error.js";
import { toTitanError } from "../../../src/dialects/bedrock-titan/to-titan-error.js";
import { messageNamingParam } from "../../../src/dialects/shared/error-message.js";

describe("messageNamingParam", () => {
  it("puts the field first when the message does not name it", () => {
    expect(messageNamingParam(new InvalidRequestError("Expected a string.", { param: "messages.[0].role" }))).toBe(
      "messages.[0].role: Expected a string.",
    );
    expect(messageNamingParam(new InvalidRequestError("Invalid 'top_k': too small.", { param: "top_k" }))).toBe(
      "Invalid 'top_k': too small.",
    );
    expect(messageNamingParam(new RateLimitError("Slow down."))).toBe("Slow down.");
  });

  it("redacts secrets in both shapes", () => {
    const error = new UpstreamError("upstream said: Bearer abcdefgh12345678xyz");
    expect(JSON.stringify(toAnthropicError(error))).not.toContain("abcdefgh12345678xyz");
    expect(JSON.stringify(toTitanError(error))).not.toContain("abcdefgh12345678xyz");
  });
});
