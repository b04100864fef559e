import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  GatewayError,
  InternalError,
  MethodNotAllowedError,
  RateLimitError,
  RouteNotFoundError,
  UpstreamError,
} from "../../src/core/errors.js";
import { ERROR_TABLE } from "../helpers/error-table.js";

describe("the error hierarchy", () => {
  it("uses the gRPC spec's numbers for the codes (Connect's Code)", () => {
    expect([
      Code.Canceled,
      Code.InvalidArgument,
      Code.DeadlineExceeded,
      Code.NotFound,
      Code.PermissionDenied,
      Code.ResourceExhausted,
      Code.FailedPrecondition,
      Code.Unimplemented,
      Code.Internal,
      Code.Unavailable,
      Code.Unauthenticated,
    ]).toEqual([1, 3, 4, 5, 7, 8, 9, 12, 13, 14, 16]);
  });

  it("has the route errors: no such URL, and no such method at a URL", () => {
    const missing = new RouteNotFoundError("Unknown request URL: GET /v2.", { code: "unknown_url" });
    expect([missing.httpStatus, missing.grpcCode, missing.type, missing.code]).toEqual([
      404,
      Code.Unimplemented,
      "invalid_request_error",
      "unknown_url",
    ]);
    const wrongMethod = new MethodNotAllowedError("Use GET for /health.");
    expect([wrongMethod.httpStatus, wrongMethod.grpcCode, wrongMethod.type]).toEqual([
      405,
      Code.Unimplemented,
      "invalid_request_error",
    ]);
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

describe("GatewayError.from", () => {
  it("passes a GatewayError through unchanged", () => {
    const error = new RateLimitError("slow down", { retryAfterSeconds: 2 });
    expect(GatewayError.from(error)).toBe(error);
  });

  it.each([
    new Error("ECONNRESET at 10.0.0.7 with key sk-proj-secretsecretsecret"),
    new TypeError("Cannot read properties of undefined (reading 'choices')"),
    "a thrown string with sk-proj-secretsecretsecret",
    { message: "an object" },
    undefined,
    null,
  ])("turns the unknown failure %o into a generic internal error without its text", (failure) => {
    const error = GatewayError.from(failure);
    expect(error).toBeInstanceOf(InternalError);
    expect(error.httpStatus).toBe(500);
    expect(error.grpcCode).toBe(Code.Internal);
    expect(error.message).toBe("The server failed to process the request.");
    expect(error.cause).toBe(failure);
  });

  it("lets a provider's reader recognize the failures it knows, and no others", () => {
    const known = new Error("ECONNRESET");
    const read = (reason: unknown) => (reason === known ? new UpstreamError("read") : undefined);
    expect(GatewayError.from(known, read)).toEqual(new UpstreamError("read"));
    expect(GatewayError.from(new Error("other"), read)).toBeInstanceOf(InternalError);
    const limited = new RateLimitError("slow down");
    expect(GatewayError.from(limited, () => new UpstreamError("never asked"))).toBe(limited);
  });
});
