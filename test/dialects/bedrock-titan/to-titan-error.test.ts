import { describe, expect, it } from "vitest";
import { toTitanError } from "../../../src/dialects/bedrock-titan/to-titan-error.js";
import { ERROR_TABLE } from "../../helpers/error-table.js";

const BEDROCK_EXCEPTIONS: Record<string, string> = {
  InvalidRequestError: "ValidationException",
  RequestTooLargeError: "ValidationException",
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
