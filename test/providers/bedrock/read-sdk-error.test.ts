import { ModelStreamErrorException, ThrottlingException } from "@aws-sdk/client-bedrock-runtime";
import { fromIni } from "@aws-sdk/credential-providers";
import { describe, expect, it } from "vitest";
import { APIConnectionError, ConfigurationError, UpstreamError } from "../../../src/core/errors.js";
import { describeSdkError } from "../../../src/providers/bedrock/read-sdk-error.js";

describe("describeSdkError", () => {
  it("reads a service error answer: its name, message and status", () => {
    const error = new ThrottlingException({ message: "Too many requests", $metadata: { httpStatusCode: 429 } });
    expect(describeSdkError(error, "m")).toEqual({
      kind: "bedrock",
      failure: {
        name: "ThrottlingException",
        message: "Too many requests",
        status: 429,
        originalStatusCode: undefined,
        originalMessage: undefined,
        modelId: "m",
      },
    });
  });

  it("reads an exception from inside a stream, with the model's own status and message", () => {
    const error = new ModelStreamErrorException({
      message: "Model stream error.",
      originalStatusCode: 500,
      originalMessage: "Internal error",
      $metadata: {},
    });
    expect(describeSdkError(error)).toMatchObject({
      kind: "bedrock",
      failure: {
        name: "ModelStreamErrorException",
        status: undefined,
        originalStatusCode: 500,
        originalMessage: "Internal error",
      },
    });
  });

  it("reads the message of an exception the SDK could not match (raw JSON text)", () => {
    const error = Object.assign(new Error('{"message":"Slow down"}'), { name: "ThrottlingException" });
    expect(describeSdkError(error)).toMatchObject({ kind: "bedrock", failure: { message: "Slow down" } });
  });

  it("reports missing credentials as a configuration problem", async () => {
    const missing = fromIni({
      profile: "nobody",
      filepath: "/nonexistent/credentials",
      configFilepath: "/nonexistent/config",
    });
    const error = await missing().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    const described = describeSdkError(error);
    expect(described.kind).toBe("error");
    expect(described.kind === "error" && described.error).toBeInstanceOf(ConfigurationError);
  });

  it("reports network failures as connection errors, and keeps this program's own faults as they are", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const connection = describeSdkError(refused);
    expect(connection.kind === "error" && connection.error).toBeInstanceOf(APIConnectionError);
    const bug = new TypeError("x is not a function");
    expect(describeSdkError(bug)).toEqual({ kind: "error", error: bug });
    const odd = describeSdkError("a string");
    expect(odd.kind === "error" && odd.error).toBeInstanceOf(UpstreamError);
  });
});
