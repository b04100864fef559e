import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../../src/core/errors.js";
import {
  CONVERSE_STREAM_EXCEPTIONS,
  eventPayload,
  INVOKE_STREAM_EXCEPTIONS,
  readStreamMessage,
} from "../../../../src/providers/bedrock/aws/read-stream-message.js";
import { decodeFrames, errorFrame, eventFrame, exceptionFrame } from "../../../fakes/fake-bedrock-eventstream.js";
import { fixtureEventStream } from "../wire-fixtures.js";

const one = (bytes: Uint8Array) => {
  const [message] = decodeFrames(bytes);
  if (!message) throw new Error("no message");
  return message;
};

function thrown(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error("nothing was thrown");
}

describe("readStreamMessage", () => {
  it("answers an event with its type; its payload without the padding", () => {
    const event = readStreamMessage(
      one(eventFrame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hi" } })),
      CONVERSE_STREAM_EXCEPTIONS,
      "m",
    );
    expect(event.type).toBe("contentBlockDelta");
    expect(eventPayload(event)).toEqual({ contentBlockIndex: 0, delta: { text: "Hi" } });
  });

  it("leaves an event's payload unread until asked, so unknown events with any payload pass", () => {
    const frame = eventFrame("somethingNew", {});
    const message = { ...one(frame), body: new TextEncoder().encode("not json") };
    expect(readStreamMessage(message, CONVERSE_STREAM_EXCEPTIONS, "m").type).toBe("somethingNew");
    expect(() => eventPayload({ type: "somethingNew", body: message.body })).toThrow(/not JSON/);
  });

  it.each([
    ["throttlingException", "RateLimitError", "Too many requests"],
    ["modelStreamErrorException", "UpstreamError", "Internal server error"],
    ["internalServerException", "UpstreamError", "unexpected error"],
    ["validationException", "InvalidRequestError", "Input is too long"],
    ["modelTimeoutException", "TimeoutError", "timed out"],
    ["serviceUnavailableException", "ServiceUnavailableError", "unable to process"],
  ])("throws the recorded %s as %s", (exceptionType, errorName, text) => {
    const message = decodeFrames(fixtureEventStream("bedrock/stream_exception_examples.eventstream.b64")).find(
      (frame) => frame.headers[":exception-type"]?.value === exceptionType,
    );
    if (!message) throw new Error(`no recorded ${exceptionType}`);
    const error = thrown(() => readStreamMessage(message, INVOKE_STREAM_EXCEPTIONS, "m"));
    expect(error.name).toBe(errorName);
    expect(error.message).toContain(text);
  });

  it("reads an exception the operation does not model by its name and its payload's message", () => {
    const error = thrown(() =>
      readStreamMessage(
        one(exceptionFrame("modelTimeoutException", { message: "Too slow." })),
        CONVERSE_STREAM_EXCEPTIONS,
        "m",
      ),
    );
    expect(error).toMatchObject({ name: "TimeoutError", message: "The Bedrock model timed out: Too slow." });
  });

  it("says a modeled exception without a message is unknown, as the SDK does", () => {
    const error = thrown(() =>
      readStreamMessage(one(exceptionFrame("internalServerException", {})), INVOKE_STREAM_EXCEPTIONS, "m"),
    );
    expect(error.message).toBe("Bedrock failed: Unknown");
  });

  it("throws an unmodeled error frame by its code and message", () => {
    const error = thrown(() =>
      readStreamMessage(one(errorFrame("ThrottlingException", "Rate exceeded")), INVOKE_STREAM_EXCEPTIONS, "m"),
    );
    expect(error).toMatchObject({ name: "RateLimitError", message: "Bedrock is throttling requests: Rate exceeded" });
  });

  it("refuses a message of a type it does not know", () => {
    const message = one(eventFrame("chunk", {}));
    const odd = {
      ...message,
      headers: { ...message.headers, ":message-type": { type: "string" as const, value: "odd" } },
    };
    expect(thrown(() => readStreamMessage(odd, INVOKE_STREAM_EXCEPTIONS, "m")).message).toBe(
      "Bedrock failed while streaming: Unrecognizable event type: chunk",
    );
  });
});
