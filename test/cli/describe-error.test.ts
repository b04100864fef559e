import { Code, ConnectError } from "@connectrpc/connect";
import { APIConnectionError, APIError } from "openai";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/cli-error.js";
import { describeError } from "../../src/cli/describe-error.js";

function refused(): Error {
  return Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" });
}

describe("describeError", () => {
  it("gives the server's message and the HTTP status of an OpenAI API error", () => {
    const error = APIError.generate(
      404,
      { error: { message: "The model 'x' does not exist.", type: "invalid_request_error", code: "model_not_found" } },
      undefined,
      new Headers(),
    );
    expect(describeError(error)).toBe("The model 'x' does not exist. (HTTP 404)");
  });

  it("gives the message of an error event in a stream, which has no status", () => {
    const error = new APIError(undefined, { message: "Upstream failed." }, undefined, undefined);
    expect(describeError(error)).toBe("Upstream failed.");
  });

  it("gives the message and the gRPC code name of a Connect error", () => {
    expect(describeError(new ConnectError("No such model.", Code.NotFound))).toBe("No such model. (gRPC NOT_FOUND)");
    expect(describeError(new ConnectError("Slow down.", Code.ResourceExhausted))).toBe(
      "Slow down. (gRPC RESOURCE_EXHAUSTED)",
    );
  });

  it("says the server cannot be reached, whichever client found out", () => {
    const expected =
      "Cannot reach the server at http://localhost:8000 (ECONNREFUSED). Is `open-bedrock serve` running?";
    const fetchError = new TypeError("fetch failed", { cause: refused() });
    expect(describeError(new APIConnectionError({ cause: fetchError }), "http://localhost:8000")).toBe(expected);
    const connect = new ConnectError("connect ECONNREFUSED", Code.Unavailable, undefined, undefined, refused());
    expect(describeError(connect, "http://localhost:8000")).toBe(expected);
  });

  it("says why a request did not go out when it is not a connection error", () => {
    const fetchError = new TypeError("fetch failed", { cause: new Error("bad port") });
    expect(describeError(new APIConnectionError({ cause: fetchError }), "http://127.0.0.1:9")).toBe(
      "Cannot reach the server at http://127.0.0.1:9: bad port",
    );
  });

  it("keeps a CLI error's own words, and makes every message one line", () => {
    expect(describeError(new CliError("Nothing to do.", { cause: refused() }))).toBe("Nothing to do.");
    expect(describeError(new Error("first line\n  second line\n"))).toBe("first line second line");
    expect(describeError("a string")).toBe("a string");
  });
});
