import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { InvalidRequestError, RateLimitError, UpstreamError } from "../../../src/core/errors.js";
import { toConnectError } from "../../../src/transport/connect/to-connect-error.js";
import { ERROR_TABLE } from "../../helpers/error-table.js";

describe("toConnectError", () => {
  it.each(ERROR_TABLE)("answers %o with gRPC code %i and the same message", (Class, _http, grpc) => {
    const error = toConnectError(new Class("The model is not here."));
    expect(error.code).toBe(grpc);
    expect(error.rawMessage).toBe("The model is not here.");
    expect(error.metadata.get("retry-after")).toBeNull();
  });

  it("carries retry-after in whole seconds, rounded up, as metadata", () => {
    expect(toConnectError(new RateLimitError("slow down", { retryAfterSeconds: 3 })).metadata.get("retry-after")).toBe(
      "3",
    );
    expect(
      toConnectError(new RateLimitError("slow down", { retryAfterSeconds: 0.4 })).metadata.get("retry-after"),
    ).toBe("1");
  });

  it("answers an unknown failure with INTERNAL and a generic message", () => {
    const error = toConnectError(new TypeError("Cannot read properties of undefined (reading 'sk-proj-Ab12Cd34Ef56')"));
    expect(error.code).toBe(Code.Internal);
    expect(error.rawMessage).toBe("The server failed to process the request.");
  });

  it("redacts secrets from the message", () => {
    const error = toConnectError(new UpstreamError("Bedrock refused Credential=AKIAIOSFODNN7EXAMPLE/20240101"));
    expect(error.rawMessage).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(error.rawMessage).toContain("Credential=***");
  });

  it("passes a ConnectError through unchanged", () => {
    const original = new ConnectError("already connect", Code.Aborted);
    expect(toConnectError(original)).toBe(original);
  });

  it("reports the call's own abort reason when its signal fired", () => {
    const controller = new AbortController();
    const reason = new ConnectError("the deadline passed", Code.DeadlineExceeded);
    controller.abort(reason);
    expect(toConnectError(new UpstreamError("upstream cut off"), controller.signal)).toBe(reason);
  });

  it("maps the error itself when the signal fired for a reason that is not a ConnectError", () => {
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    const error = toConnectError(new InvalidRequestError("bad"), controller.signal);
    expect(error.code).toBe(Code.InvalidArgument);
  });

  it("ignores a signal that did not fire", () => {
    const error = toConnectError(new InvalidRequestError("bad"), new AbortController().signal);
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("bad");
  });
});
