import { ModelStreamErrorException, ThrottlingException } from "@aws-sdk/client-bedrock-runtime";
import { fromIni } from "@aws-sdk/credential-providers";
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  ConfigurationError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from "../../../../src/core/errors.js";
import { readBedrockSdkFailure } from "../../../../src/providers/bedrock/aws/read-sdk-error.js";

describe("readBedrockSdkFailure", () => {
  it("reads a service error answer: its name, message and status", () => {
    const error = new ThrottlingException({ message: "Too many requests", $metadata: { httpStatusCode: 429 } });
    const read = readBedrockSdkFailure(error, "m");
    expect(read).toBeInstanceOf(RateLimitError);
    expect(read?.message).toBe("Bedrock is throttling requests: Too many requests");
  });

  it("reads an exception from inside a stream, with the model's own status and message", () => {
    const error = new ModelStreamErrorException({
      message: "Model stream error.",
      originalStatusCode: 500,
      originalMessage: "Internal error",
      $metadata: {},
    });
    const read = readBedrockSdkFailure(error);
    expect(read).toBeInstanceOf(UpstreamError);
    expect(read?.message).toBe("The Bedrock model failed while streaming (model status 500): Internal error");
  });

  it("reads the message of an exception the SDK could not match (raw JSON text)", () => {
    const error = Object.assign(new Error('{"message":"Slow down"}'), { name: "ThrottlingException" });
    expect(readBedrockSdkFailure(error)?.message).toBe("Bedrock is throttling requests: Slow down");
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
    expect(readBedrockSdkFailure(error)).toBeInstanceOf(ConfigurationError);
  });

  it("reports network failures as connection errors, and leaves this program's own faults unread", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const connection = readBedrockSdkFailure(refused);
    expect(connection).toBeInstanceOf(APIConnectionError);
    expect(connection?.message).toBe("Could not reach Bedrock.");
    expect(readBedrockSdkFailure(Object.assign(new Error("no answer"), { name: "TimeoutError" }))).toBeInstanceOf(
      TimeoutError,
    );
    expect(readBedrockSdkFailure(new TypeError("x is not a function"))).toBeUndefined();
    expect(readBedrockSdkFailure("a string")).toBeInstanceOf(UpstreamError);
  });
});
