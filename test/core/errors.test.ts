import { describe, expect, it } from "vitest";
import {
  GatewayError,
  GrpcCode,
  InternalError,
  RateLimitError,
  toGatewayError,
  UpstreamError,
} from "../../src/core/errors.js";
import { ERROR_TABLE } from "../helpers/error-table.js";

describe("the error hierarchy", () => {
  it("uses the gRPC spec's numbers for the codes", () => {
    expect(GrpcCode).toEqual({
      Canceled: 1,
      InvalidArgument: 3,
      DeadlineExceeded: 4,
      NotFound: 5,
      PermissionDenied: 7,
      ResourceExhausted: 8,
      FailedPrecondition: 9,
      Unimplemented: 12,
      Internal: 13,
      Unavailable: 14,
      Unauthenticated: 16,
    });
  });

  it.each(ERROR_TABLE)("%o has HTTP %i, gRPC code %i, type %s and default code %s", (Class, http, grpc, type, code) => {
    const error = new Class("it failed");
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(Class.name);
    expect(error.message).toBe("it failed");
    expect(error.httpStatus).toBe(http);
    expect(error.grpcCode).toBe(grpc);
    expect(error.type).toBe(type);
    expect(error.code).toBe(code);
    expect(error.param).toBeNull();
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it.each(ERROR_TABLE)("%o keeps the code, param, retry-after and cause it is given", (Class) => {
    const cause = new Error("root");
    const error = new Class("it failed", {
      code: "custom_code",
      param: "messages.[0].role",
      retryAfterSeconds: 7,
      cause,
    });
    expect(error.code).toBe("custom_code");
    expect(error.param).toBe("messages.[0].role");
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.cause).toBe(cause);
  });

  it("sets no cause when none is given", () => {
    expect("cause" in new UpstreamError("x")).toBe(false);
  });
});

describe("toGatewayError", () => {
  it("passes a GatewayError through unchanged", () => {
    const error = new RateLimitError("slow down", { retryAfterSeconds: 2 });
    expect(toGatewayError(error)).toBe(error);
  });

  it.each([
    new Error("ECONNRESET at 10.0.0.7 with key sk-proj-secretsecretsecret"),
    new TypeError("Cannot read properties of undefined (reading 'choices')"),
    "a thrown string with sk-proj-secretsecretsecret",
    { message: "an object" },
    undefined,
    null,
  ])("turns the unknown failure %o into a generic internal error without its text", (failure) => {
    const error = toGatewayError(failure);
    expect(error).toBeInstanceOf(InternalError);
    expect(error.httpStatus).toBe(500);
    expect(error.grpcCode).toBe(GrpcCode.Internal);
    expect(error.message).toBe("The server failed to process the request.");
    expect(error.cause).toBe(failure);
  });
});
