import { describe, expect, it } from "vitest";
import { readErrorAnswer } from "../../../../src/providers/bedrock/aws/read-error-answer.js";
import { fixtureJson } from "../wire-fixtures.js";

const json = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));
const NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/";

describe("readErrorAnswer", () => {
  it("names the error by x-amzn-errortype without its namespace, whatever the header's case", () => {
    expect(
      readErrorAnswer(429, { "X-Amzn-ErrorType": `ThrottlingException:${NAMESPACE}` }, json({ message: "Slow." }), "m"),
    ).toEqual({ name: "ThrottlingException", message: "Slow.", status: 429, modelId: "m" });
  });

  it("prefers the header to the body's code, and the code to __type", () => {
    const body = json({ code: "FromCode", __type: "ns#FromType", message: "x" });
    expect(readErrorAnswer(400, { "x-amzn-errortype": "FromHeader" }, body, "m").name).toBe("FromHeader");
    expect(readErrorAnswer(400, {}, body, "m").name).toBe("FromCode");
    expect(readErrorAnswer(400, {}, json({ __type: "com.amazon.coral.validate#ValidationException" }), "m").name).toBe(
      "ValidationException",
    );
  });

  it("takes the message from message, else Message, else says it is unknown", () => {
    expect(readErrorAnswer(500, {}, json({ Message: "Capital." }), "m").message).toBe("Capital.");
    expect(readErrorAnswer(500, {}, json({}), "m")).toEqual({
      name: "Unknown",
      message: "UnknownError",
      status: 500,
      modelId: "m",
    });
    expect(readErrorAnswer(500, {}, new Uint8Array(), "m").message).toBe("UnknownError");
  });

  it("keeps the model's own status and message", () => {
    const failure = readErrorAnswer(
      424,
      { "x-amzn-errortype": "ModelErrorException" },
      json({ message: "The model failed.", originalStatusCode: 500, resourceName: "r" }),
      "m",
    );
    expect(failure).toMatchObject({ name: "ModelErrorException", originalStatusCode: 500 });
  });

  it("quotes a page that is not JSON, shortened", () => {
    const page = `<html>${"Bad Gateway ".repeat(100)}</html>`;
    const failure = readErrorAnswer(502, { "content-type": "text/html" }, new TextEncoder().encode(page), "m");
    expect(failure.name).toBe("Unknown");
    expect(failure.message).toBe(page.slice(0, 500));
  });

  it("reads every recorded error answer of the wire examples as the SDK names it", () => {
    const { errors } = fixtureJson<{
      errors: { name: string; status: number; headers: Record<string, string>; body: Record<string, unknown> }[];
    }>("bedrock/errors.json");
    expect(errors.length).toBeGreaterThan(5);
    for (const answer of errors) {
      const failure = readErrorAnswer(answer.status, answer.headers, json(answer.body), "m");
      expect(failure).toMatchObject({
        name: answer.name.split(" ")[0],
        status: answer.status,
        message: answer.body.message,
      });
    }
  });
});
