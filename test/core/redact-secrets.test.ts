import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactSecrets, registerSecrets } from "../../src/core/redact-secrets.js";
import { anyText } from "../arbitraries/text.js";

describe("redactSecrets", () => {
  it.each([
    ["OpenAI project key", "Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78.", "sk-proj-Ab12Cd34Ef56Gh78"],
    ["OpenAI legacy key", "key sk-0123456789abcdefABCDEF was refused", "sk-0123456789abcdefABCDEF"],
    ["Anthropic key", "invalid x-api-key sk-ant-api03-abcDEF_ghi-JKL", "sk-ant-api03-abcDEF_ghi-JKL"],
    ["AWS access key id", "The security token for AKIAIOSFODNN7EXAMPLE is invalid", "AKIAIOSFODNN7EXAMPLE"],
    ["AWS temporary key id", "ASIAQWERTYUIOPASDFGH expired", "ASIAQWERTYUIOPASDFGH"],
    [
      "SigV4 signature",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
      "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    ],
    [
      "SigV4 credential scope",
      "Credential=AKIDEXAMPLE/20240101/us-east-1/bedrock/aws4_request, SignedHeaders=host",
      "AKIDEXAMPLE/20240101",
    ],
    ["bearer token", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx.c2lnbmF0dXJl", "eyJhbGciOiJIUzI1NiJ9"],
    [
      "presigned URL token",
      "GET /model?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F%2FwEaCXVz&X-Amz-Date=20240101T000000Z",
      "IQoJb3JpZ2luX2VjEJr",
    ],
  ])("removes a %s", (_kind, text, secret) => {
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain("***");
  });

  it.each([
    ["a lower-case bearer scheme", "Authorization: bearer abcdefgh12345678XYZ", "abcdefgh12345678XYZ"],
    ["a URL-encoded bearer token", "Authorization: Bearer%20sk-proj-abcdefghijklmnop", "abcdefghijklmnop"],
    ["a URL-encoded credential", "X-Amz-Credential%3DAKIAIOSFODNN7EXAMPLE%2F20240101", "AKIAIOSFODNN7EXAMPLE"],
    ["a key glued to a digit", "0sk-proj-AAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAA"],
  ])("removes %s", (_kind, text, secret) => {
    expect(redactSecrets(text)).not.toContain(secret);
  });

  it("leaves words that merely contain sk- alone", () => {
    expect(redactSecrets("the task-management tool asked for a disk-backup")).toBe(
      "the task-management tool asked for a disk-backup",
    );
  });

  it("removes configured secrets whatever their shape, also URL-encoded and escaped in JSON", () => {
    const secret = 'my odd/secret+value:42 "quoted"';
    const forget = registerSecrets(secret);
    try {
      expect(redactSecrets(`failed with ${secret} and ${encodeURIComponent(secret)}`)).toBe("failed with *** and ***");
      expect(redactSecrets(JSON.stringify({ msg: `bad ${secret}` }))).toBe('{"msg":"bad ***"}');
    } finally {
      forget();
    }
    expect(redactSecrets(`failed with ${secret}`)).toBe(`failed with ${secret}`);
  });

  it("removes a short secret where it stands alone, and leaves the words it is part of", () => {
    const forget = registerSecrets("short", "k", "a+b");
    try {
      expect(redactSecrets("short answer: key k, shortcut kept, k9 kept, okay")).toBe(
        "*** answer: key ***, shortcut kept, k9 kept, okay",
      );
      expect(redactSecrets('{"key":"k"} Bearer k a+b x a%2Bb')).toBe('{"key":"***"} Bearer *** *** x ***');
    } finally {
      forget();
    }
    expect(redactSecrets("short answer")).toBe("short answer");
  });

  it("keeps a secret registered by two servers until both forget it", () => {
    const first = registerSecrets("shared-secret-value");
    const second = registerSecrets("shared-secret-value");
    first();
    first();
    expect(redactSecrets("shared-secret-value")).toBe("***");
    second();
    expect(redactSecrets("shared-secret-value")).toBe("shared-secret-value");
  });

  it("never takes a blank value for a secret", () => {
    const forget = registerSecrets(" ", "", "\t");
    try {
      expect(redactSecrets("a b\tc")).toBe("a b\tc");
    } finally {
      forget();
    }
  });

  it("keeps the words around a secret", () => {
    expect(redactSecrets("Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78. Check it.")).toBe(
      "Incorrect API key provided: sk-***. Check it.",
    );
    expect(redactSecrets("Authorization: Bearer abcdefgh12345678")).toBe("Authorization: Bearer ***");
  });

  it("leaves a text without secrets unchanged, OpenAI's own masked keys included", () => {
    for (const text of [
      "The model `gpt-9-nonexistent` does not exist or you do not have access to it.",
      "Rate limit reached for requests. Limit: 500 / min. Please try again in 120ms.",
      "Invalid value for 'temperature': expected a number between 0 and 2, got 3.",
      "task-runner failed; ask-me later",
      "",
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it("is idempotent", () => {
    const once = redactSecrets("sk-proj-Ab12Cd34Ef56Gh78 AKIAIOSFODNN7EXAMPLE Bearer abcdefgh12345678");
    expect(redactSecrets(once)).toBe(once);
  });
});

describe("redactSecrets properties", () => {
  const chars = (alphabet: string, minLength: number, maxLength: number) =>
    fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
  const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  /** A credential as it would appear in a text, and the part of it that must not survive. */
  const credential = fc.oneof(
    fc
      .tuple(fc.constantFrom("sk-", "sk-proj-", "sk-svcacct-", "sk-ant-api03-"), chars(`${ALNUM}_-`, 20, 64))
      .map(([prefix, body]) => ({ text: prefix + body, secret: prefix + body })),
    fc
      .tuple(fc.constantFrom("AKIA", "ASIA"), chars(UPPER_DIGITS, 16, 16))
      .map(([prefix, body]) => ({ text: prefix + body, secret: prefix + body })),
    chars(`${ALNUM}._~+/=-`, 16, 80).map((token) => ({ text: `Bearer ${token}`, secret: token })),
    chars("0123456789abcdef", 64, 64).map((hex) => ({ text: `Signature=${hex}`, secret: hex })),
    chars(`${ALNUM}%/+=`, 24, 120).map((token) => ({ text: `X-Amz-Security-Token=${token}`, secret: token })),
  );
  // What separates a credential from the text around it in error messages, headers and URLs.
  const separator = fc.constantFrom(" ", "\n", "\t", '"', "'", ":", "=", ",", ";", "(", "[", "<", "`", "&", "?");
  const text = anyText(60);

  it("never lets a generated credential embedded in arbitrary text survive", () => {
    fc.assert(
      fc.property(text, separator, credential, separator, text, (before, open, key, close, after) => {
        const message = `${before}${open}${key.text}${close}${after}`;
        expect(redactSecrets(message)).not.toContain(key.secret);
      }),
      { numRuns: 500 },
    );
  });

  it("never lets a configured secret of any length survive where it stands alone, nor a long one anywhere", () => {
    const secret = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((value) => value.trim() !== "" && !value.includes("*"));
    fc.assert(
      fc.property(secret, separator, text, separator, (key, open, around, close) => {
        const forget = registerSecrets(key);
        try {
          expect(redactSecrets(`${around}${open}${key}${close}${around}`)).not.toContain(`${open}${key}${close}`);
          expect(redactSecrets(key)).toBe("***");
          if (key.length >= 8) expect(redactSecrets(`x${key}y`)).not.toContain(key);
        } finally {
          forget();
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never lets a generated credential survive at the start or end of a text", () => {
    fc.assert(
      fc.property(credential, separator, text, (key, close, after) => {
        expect(redactSecrets(key.text)).not.toContain(key.secret);
        expect(redactSecrets(`${key.text}${close}${after}`)).not.toContain(key.secret);
        expect(redactSecrets(`${after}${close}${key.text}`)).not.toContain(key.secret);
      }),
    );
  });
});
