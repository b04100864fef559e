import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  type GatewayError,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../../../src/core/errors.js";
import { bedrockErrorName, mapBedrockError } from "../../../../src/providers/bedrock/aws/map-bedrock-error.js";
import { fixtureJson } from "../wire-fixtures.js";

interface ErrorExample {
  name: string;
  status: number;
  headers: Record<string, string>;
  body: { message: string; originalStatusCode?: number; originalMessage?: string };
}

const EXPECTED: Record<string, [new (...args: never[]) => GatewayError, number, number]> = {
  ValidationException: [InvalidRequestError, 400, 3],
  AccessDeniedException: [PermissionDeniedError, 403, 7],
  ResourceNotFoundException: [ModelNotFoundError, 404, 5],
  ModelTimeoutException: [TimeoutError, 504, 4],
  ThrottlingException: [RateLimitError, 429, 8],
  ModelNotReadyException: [ServiceUnavailableError, 503, 14],
  ModelErrorException: [UpstreamError, 502, 13],
  ModelStreamErrorException: [UpstreamError, 502, 13],
  InternalServerException: [UpstreamError, 502, 13],
  ServiceUnavailableException: [ServiceUnavailableError, 503, 14],
  ServiceQuotaExceededException: [RateLimitError, 429, 8],
  UnrecognizedClientException: [AuthenticationError, 401, 16],
};

const examples = fixtureJson<{ errors: ErrorExample[] }>("bedrock/errors.json").errors;

describe("mapBedrockError", () => {
  it.each(examples.map((example) => [example.headers["x-amzn-errortype"] ?? "", example] as const))(
    "maps %s",
    (errorType, example) => {
      const name = bedrockErrorName(errorType);
      const [type, httpStatus, grpcCode] = EXPECTED[name] ?? [Error, 0, 0];
      const error = mapBedrockError({ ...example.body, name: errorType, status: example.status });
      expect(error).toBeInstanceOf(type);
      expect([error.httpStatus, error.grpcCode]).toEqual([httpStatus, grpcCode]);
      expect(error.message).toContain(
        example.name === "ModelStreamErrorException" ? "Internal error" : example.body.message.slice(0, 20),
      );
    },
  );

  it("maps every exception that arrives inside a stream by its lowerCamel type, with no status", () => {
    const types = {
      throttlingException: RateLimitError,
      modelStreamErrorException: UpstreamError,
      internalServerException: UpstreamError,
      validationException: InvalidRequestError,
      modelTimeoutException: TimeoutError,
      serviceUnavailableException: ServiceUnavailableError,
    };
    for (const [name, type] of Object.entries(types)) {
      expect(mapBedrockError({ name, message: "m" })).toBeInstanceOf(type);
    }
  });

  it("reads names with a namespace or a shape id", () => {
    expect(bedrockErrorName("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")).toBe(
      "ThrottlingException",
    );
    expect(bedrockErrorName("com.amazonaws.bedrockruntime#ThrottlingException")).toBe("ThrottlingException");
  });

  it("falls back on the status for names it does not know", () => {
    expect(mapBedrockError({ name: "SomethingNew", message: "m", status: 429 })).toBeInstanceOf(RateLimitError);
    expect(mapBedrockError({ name: "SomethingNew", message: "m", status: 400 })).toBeInstanceOf(InvalidRequestError);
    expect(mapBedrockError({ name: "SomethingNew", message: "m", status: 500 })).toBeInstanceOf(UpstreamError);
    expect(mapBedrockError({ name: "SomethingNew", message: "m", status: 418 })).toBeInstanceOf(UpstreamError);
    // A 403 without a name it knows is a refusal of access, as the error table has it; only the named
    // credential refusals (and a 401) say the server's own AWS identity was refused.
    expect(mapBedrockError({ name: "SomethingNew", message: "m", status: 403 })).toEqual(
      new PermissionDeniedError("Bedrock denied access: m"),
    );
    const refused = mapBedrockError({ name: "SomethingNew", message: "m", status: 401 });
    expect(refused).toEqual(
      new AuthenticationError("Bedrock refused the server's AWS credentials: m", { code: "upstream_authentication" }),
    );
    expect(mapBedrockError({ name: "SomethingNew", message: "m", status: 404 }).param).toBe("model");
    expect(mapBedrockError({ name: "InternalFailure", message: "An internal error occurred." })).toBeInstanceOf(
      UpstreamError,
    );
  });

  it("names the model in a 404, and never repeats a secret", () => {
    const notFound = mapBedrockError({
      name: "ResourceNotFoundException",
      message: "Could not resolve the foundation model.",
      status: 404,
      modelId: "anthropic.claude-9",
    });
    expect(notFound.message).toContain("anthropic.claude-9");
    expect(notFound.param).toBe("model");
    const leaky = mapBedrockError({
      name: "ValidationException",
      message:
        "bad Credential=AKIAFAKEBEDROCK00001/20261125/us-west-2/bedrock/aws4_request, Signature=0123456789abcdef0123",
      status: 400,
    });
    expect(leaky.message).not.toContain("AKIAFAKEBEDROCK00001");
    expect(leaky.message).not.toContain("0123456789abcdef0123");
  });
});
