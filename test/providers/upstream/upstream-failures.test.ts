import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  AuthenticationError,
  CanceledError,
  canceled,
  type GatewayErrorClass,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../../src/core/errors.js";
import {
  classOfUpstreamStatus,
  connectionFailed,
  fromUpstreamStatus,
  timedOut,
  unreadableAnswer,
} from "../../../src/providers/upstream/upstream-failures.js";

describe("the failures of an exchange itself", () => {
  it("reports an unreachable upstream as APIConnectionError without the cause's text", () => {
    const cause = new Error("connect ECONNREFUSED 127.0.0.1:1");
    const error = connectionFailed("OpenAI", cause);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.httpStatus).toBe(502);
    expect(error.message).toBe("Could not reach OpenAI.");
    expect(error.cause).toBe(cause);
  });

  it("reports a timeout as TimeoutError", () => {
    const error = timedOut("Bedrock", new Error("Request timed out."));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.httpStatus).toBe(504);
    expect(error.message).toBe("Bedrock did not answer in time.");
  });

  it("reports an aborted call as CanceledError", () => {
    const error = canceled(new Error("Request was aborted."));
    expect(error).toBeInstanceOf(CanceledError);
    expect(error.message).toBe("The request was cancelled by the caller.");
    expect(canceled(undefined, "The caller stopped reading the stream.").message).toBe(
      "The caller stopped reading the stream.",
    );
  });

  it("reports an answer it cannot read as UpstreamError naming what was wrong", () => {
    const error = unreadableAnswer("Bedrock", "a streamed chunk is not JSON");
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe("Bedrock sent an answer this server cannot read: a streamed chunk is not JSON.");
  });
});

describe("the one table from an upstream's status to the class of its failure", () => {
  it.each<[number | undefined, GatewayErrorClass]>([
    [400, InvalidRequestError],
    [413, InvalidRequestError],
    [422, InvalidRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, ModelNotFoundError],
    [408, TimeoutError],
    [504, TimeoutError],
    [429, RateLimitError],
    [503, ServiceUnavailableError],
    [405, UpstreamError],
    [409, UpstreamError],
    [418, UpstreamError],
    [424, UpstreamError],
    [500, UpstreamError],
    [502, UpstreamError],
    [302, UpstreamError],
    [undefined, UpstreamError],
  ])("gives status %s the class %o", (status, Class) => {
    expect(classOfUpstreamStatus(status)).toBe(Class);
  });

  it("words each class in the upstream's name unless the provider has its own words", () => {
    const answer = (status: number | undefined) => ({ status, message: "went wrong" });
    expect(fromUpstreamStatus("Up", answer(400)).message).toBe("Up rejected the request: went wrong");
    expect(fromUpstreamStatus("Up", answer(403)).message).toBe("Up denied access: went wrong");
    expect(fromUpstreamStatus("Up", answer(404)).message).toBe("Not found on Up: went wrong");
    expect(fromUpstreamStatus("Up", answer(429)).message).toBe("Up is throttling requests: went wrong");
    expect(fromUpstreamStatus("Up", answer(504)).message).toBe("Up timed out: went wrong");
    expect(fromUpstreamStatus("Up", answer(503)).message).toBe("Up is unavailable: went wrong");
    expect(fromUpstreamStatus("Up", answer(500)).message).toBe("Up failed with status 500: went wrong");
    expect(fromUpstreamStatus("Up", answer(undefined)).message).toBe("Up failed while streaming: went wrong");
    const own = fromUpstreamStatus("Up", answer(429), (Class, { message }) =>
      Class === RateLimitError ? message : undefined,
    );
    expect(own).toBeInstanceOf(RateLimitError);
    expect(own.message).toBe("went wrong");
  });

  it("keeps the upstream's code, param and retry-after, except on a refused server key", () => {
    const options = { code: "some_code", param: "p", retryAfterSeconds: 3 };
    const limited = fromUpstreamStatus("Up", { status: 429, message: "m", options });
    expect([limited.code, limited.param, limited.retryAfterSeconds]).toEqual(["some_code", "p", 3]);
    const refused = fromUpstreamStatus("Up", { status: 401, message: "key sk-abc refused", options });
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect([refused.code, refused.param, refused.retryAfterSeconds]).toEqual([
      "upstream_authentication",
      null,
      undefined,
    ]);
  });
});
