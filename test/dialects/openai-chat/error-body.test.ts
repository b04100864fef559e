import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  InvalidRequestError,
  RateLimitError,
  ServiceUnavailableError,
  UpstreamError,
} from "../../../src/core/errors.js";
import { errorAnswer, errorJson } from "../../../src/dialects/openai-chat/error-body.js";
import { ERROR_TABLE } from "../../helpers/error-table.js";

describe("errorJson", () => {
  it.each(ERROR_TABLE)("gives %o OpenAI's four error fields", (Class, _http, _grpc, type, code) => {
    expect(errorJson(new Class("Something went wrong."))).toStrictEqual({
      error: { message: "Something went wrong.", type, param: null, code },
    });
  });

  it("names the parameter and code the error carries", () => {
    const error = new InvalidRequestError("Invalid value for 'messages.[2].role': 'robot'.", {
      param: "messages.[2].role",
      code: "invalid_value",
    });
    expect(errorJson(error)).toStrictEqual({
      error: {
        message: "Invalid value for 'messages.[2].role': 'robot'.",
        type: "invalid_request_error",
        param: "messages.[2].role",
        code: "invalid_value",
      },
    });
  });

  it("redacts secrets from the message", () => {
    const body = errorJson(new UpstreamError("OpenAI failed: Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78"));
    expect(body.error.message).toBe("OpenAI failed: Incorrect API key provided: sk-***");
  });
});

describe("errorAnswer", () => {
  it.each(ERROR_TABLE)("answers %o with HTTP %i", (Class, http) => {
    const answer = errorAnswer(new Class("failed"));
    expect(answer.status).toBe(http);
    expect(answer.body).toStrictEqual(errorJson(new Class("failed")));
  });

  it("sends retry-after in whole seconds, rounded up", () => {
    expect(errorAnswer(new RateLimitError("slow down", { retryAfterSeconds: 1 })).headers).toStrictEqual({
      "retry-after": "1",
    });
    expect(errorAnswer(new RateLimitError("slow down", { retryAfterSeconds: 0.2 })).headers["retry-after"]).toBe("1");
    expect(errorAnswer(new ServiceUnavailableError("busy", { retryAfterSeconds: 2.5 })).headers["retry-after"]).toBe(
      "3",
    );
    expect(errorAnswer(new RateLimitError("slow down", { retryAfterSeconds: 0 })).headers["retry-after"]).toBe("0");
  });

  it("sends no retry-after when the error has none", () => {
    expect(errorAnswer(new RateLimitError("slow down")).headers).toStrictEqual({});
  });

  it("tells the OpenAI SDK not to retry an unconfigured provider, and only that 503", () => {
    expect(errorAnswer(new ConfigurationError("not configured")).headers).toStrictEqual({ "x-should-retry": "false" });
    expect(errorAnswer(new ServiceUnavailableError("busy")).headers).toStrictEqual({});
  });

  it("answers an unknown failure with a generic 500 that does not repeat its text", () => {
    const answer = errorAnswer(new Error("connect ECONNREFUSED 10.1.2.3:443 using sk-proj-Ab12Cd34Ef56Gh78"));
    expect(answer.status).toBe(500);
    expect(answer.headers).toStrictEqual({});
    expect(answer.body).toStrictEqual({
      error: {
        message: "The server failed to process the request.",
        type: "server_error",
        param: null,
        code: null,
      },
    });
    expect(errorAnswer("thrown text").body.error.message).toBe("The server failed to process the request.");
  });
});
