import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { AuthenticationError } from "../../src/core/errors.js";
import { ApiKeyVerifier } from "../../src/transport/auth.js";

const KEYS = ["ob-first-key-0001", "ob-second-key-0002", "ob-third-key-0003"];
const verifier = new ApiKeyVerifier(KEYS);

function refusal(authorization: string | null | undefined): AuthenticationError {
  try {
    verifier.verify(authorization);
  } catch (error) {
    if (error instanceof AuthenticationError) return error;
    throw error;
  }
  throw new Error("the header was accepted");
}

describe("ApiKeyVerifier", () => {
  it("refuses to run without a key", () => {
    expect(() => new ApiKeyVerifier([])).toThrow("At least one client key is required.");
  });

  it.each([undefined, null, "", "   "])("answers a missing header (%j) with missing_api_key", (header) => {
    const error = refusal(header);
    expect(error.code).toBe("missing_api_key");
    expect(error.httpStatus).toBe(401);
    expect(error.grpcCode).toBe(Code.Unauthenticated);
    expect(error.message).toContain("Authorization: Bearer");
  });

  it.each([
    `Basic ${Buffer.from("user:ob-first-key-0001").toString("base64")}`,
    "ob-first-key-0001",
    "Token ob-first-key-0001",
    "Bearer",
    "Bearer   ",
    "Bearerob-first-key-0001",
  ])("answers a header without a bearer key (%j) with missing_api_key", (header) => {
    expect(refusal(header).code).toBe("missing_api_key");
  });

  it.each([
    ["ob-first-key-0001", "The Authorization header has no scheme: put 'Bearer ' before the key."],
    ["Bearerob-first-key-0001", "The Authorization header has no scheme: put 'Bearer ' before the key."],
    ["Bearer   ", "The Authorization header has the Bearer scheme but no key after it."],
    [
      "Basic dXNlcjpvYi1maXJzdC1rZXk=",
      "The Authorization header uses the Basic scheme; this server takes only Bearer.",
    ],
    ["Token ob-first-key-0001", "The Authorization header uses the Token scheme; this server takes only Bearer."],
    [
      "secretword rest-of-key",
      "The Authorization header uses a scheme other than Bearer; this server takes only Bearer.",
    ],
  ])("says what is wrong with %j, and how to send the key, without repeating it", (header, problem) => {
    const { message } = refusal(header);
    expect(message).toBe(`${problem} Send the key as 'Authorization: Bearer <key>'.`);
    expect(message).not.toMatch(/ob-first|dXNlcj|secretword/);
  });

  it.each([
    "Bearer wrong-key",
    "Bearer ob-first-key-000",
    "Bearer ob-first-key-00011",
    "Bearer OB-FIRST-KEY-0001",
    "Bearer ob-first-key-0001 ob-second-key-0002",
    "Bearer ob-first-key-0001,ob-second-key-0002",
  ])("answers a wrong key (%j) with invalid_api_key", (header) => {
    const error = refusal(header);
    expect(error.code).toBe("invalid_api_key");
    expect(error.httpStatus).toBe(401);
    expect(error.message).not.toContain("ob-");
  });

  it.each(KEYS)("accepts the configured key %s among several", (key) => {
    expect(() => verifier.verify(`Bearer ${key}`)).not.toThrow();
  });

  it.each(["bearer", "BEARER", "BeArEr"])("accepts the scheme written %s", (scheme) => {
    expect(() => verifier.verify(`${scheme} ob-second-key-0002`)).not.toThrow();
  });

  it("accepts spaces and tabs around the key", () => {
    expect(() => verifier.verify("  Bearer \t ob-third-key-0003  ")).not.toThrow();
  });

  it("accepts a key with characters that are not base64", () => {
    const key = "k€y with spaces/and=signs";
    expect(() => new ApiKeyVerifier([key]).verify(`Bearer ${key}`)).not.toThrow();
  });
});
