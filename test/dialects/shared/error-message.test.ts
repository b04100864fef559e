import { describe, expect, it } from "vitest";
import { InvalidRequestError, RateLimitError, UpstreamError } from "../../../src/core/errors.js";
import { toClaudeError } from "../../../src/dialects/anthropic-messages/to-anthropic-error.js";
import { toTitanError } from "../../../src/dialects/bedrock-titan/to-titan-error.js";
import { messageNamingParam } from "../../../src/dialects/shared/error-message.js";
import { mapClaudeErrorEvent } from "../../../src/providers/bedrock/claude/map-claude-error-event.js";
import { ANTHROPIC_ERROR_TYPES } from "../../../src/wire/anthropic-messages.js";
import { ERROR_TABLE } from "../../helpers/error-table.js";

const CLAUDE_TYPES: Record<string, string> = {
  InvalidRequestError: "invalid_request_error",
  AuthenticationError: "authentication_error",
  PermissionDeniedError: "permission_error",
  ModelNotFoundError: "not_found_error",
  RateLimitError: "rate_limit_error",
  ConfigurationError: "api_error",
  APIConnectionError: "api_error",
  ServiceUnavailableError: "overloaded_error",
  TimeoutError: "timeout_error",
  UpstreamError: "api_error",
  CanceledError: "api_error",
  InternalError: "api_error",
};

const BEDROCK_EXCEPTIONS: Record<string, string> = {
  InvalidRequestError: "ValidationException",
  AuthenticationError: "UnrecognizedClientException",
  PermissionDeniedError: "AccessDeniedException",
  ModelNotFoundError: "ResourceNotFoundException",
  RateLimitError: "ThrottlingException",
  ConfigurationError: "ServiceUnavailableException",
  APIConnectionError: "InternalServerException",
  ServiceUnavailableError: "ServiceUnavailableException",
  TimeoutError: "ModelTimeoutException",
  UpstreamError: "InternalServerException",
  CanceledError: "InternalServerException",
  InternalError: "InternalServerException",
};

describe("errors in the Claude shape", () => {
  it.each(ERROR_TABLE.map(([ErrorClass]) => [ErrorClass.name, ErrorClass] as const))(
    "%s has Anthropic's error object and type",
    (name, ErrorClass) => {
      expect(toClaudeError(new ErrorClass("It failed."))).toEqual({
        type: "error",
        error: { type: CLAUDE_TYPES[name], message: "It failed." },
      });
    },
  );

  it("says request_too_large for an oversized body", () => {
    const error = new InvalidRequestError("Too big.", { code: "request_too_large" });
    expect(toClaudeError(error).error.type).toBe("request_too_large");
  });

  it("reads back, through the Claude provider, as an error of the same kind for the types Claude has", () => {
    for (const [ErrorClass] of ERROR_TABLE) {
      const event = toClaudeError(new ErrorClass("It failed."));
      if (!(ANTHROPIC_ERROR_TYPES as readonly string[]).includes(event.error.type)) continue;
      if (event.error.type === "authentication_error" || event.error.type === "api_error") continue;
      expect(mapClaudeErrorEvent(event).httpStatus, ErrorClass.name).toBe(new ErrorClass("x").httpStatus);
    }
  });
});

describe("errors in the Titan (Bedrock) shape", () => {
  it.each(ERROR_TABLE.map(([ErrorClass]) => [ErrorClass.name, ErrorClass] as const))(
    "%s is named as Bedrock's exception, with Bedrock's message body",
    (name, ErrorClass) => {
      expect(toTitanError(new ErrorClass("It failed."))).toEqual({
        exception: BEDROCK_EXCEPTIONS[name],
        body: { message: "It failed." },
      });
    },
  );
});

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
    expect(JSON.stringify(toClaudeError(error))).not.toContain("abcdefgh12345678xyz");
    expect(JSON.stringify(toTitanError(error))).not.toContain("abcdefgh12345678xyz");
  });
});
