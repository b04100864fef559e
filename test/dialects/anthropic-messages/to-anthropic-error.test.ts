import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { toAnthropicError } from "../../../src/dialects/anthropic-messages/to-anthropic-error.js";
import { mapClaudeErrorEvent } from "../../../src/providers/bedrock/claude/map-claude-error-event.js";
import { ANTHROPIC_ERROR_TYPES } from "../../../src/wire/anthropic-messages.js";
import { ERROR_TABLE } from "../../helpers/error-table.js";

const CLAUDE_TYPES: Record<string, string> = {
  InvalidRequestError: "invalid_request_error",
  RequestTooLargeError: "request_too_large",
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

describe("errors in the Claude shape", () => {
  it.each(ERROR_TABLE.map(([ErrorClass]) => [ErrorClass.name, ErrorClass] as const))(
    "%s has Anthropic's error object and type",
    (name, ErrorClass) => {
      expect(toAnthropicError(new ErrorClass("It failed."))).toEqual({
        type: "error",
        error: { type: CLAUDE_TYPES[name], message: "It failed." },
      });
    },
  );

  it("says request_too_large for an oversized body", () => {
    const error = new InvalidRequestError("Too big.", { code: "request_too_large" });
    expect(toAnthropicError(error).error.type).toBe("request_too_large");
  });

  it("reads back, through the Claude provider, as an error of the same kind for the types Claude has", () => {
    for (const [ErrorClass] of ERROR_TABLE) {
      const event = toAnthropicError(new ErrorClass("It failed."));
      if (!(ANTHROPIC_ERROR_TYPES as readonly string[]).includes(event.error.type)) continue;
      if (event.error.type === "authentication_error" || event.error.type === "api_error") continue;
      expect(mapClaudeErrorEvent(event).httpStatus, ErrorClass.name).toBe(new ErrorClass("x").httpStatus);
    }
  });
});
