import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskSecret } from "../../src/cli/mask-secret.js";

describe("maskSecret", () => {
  it("shows the last four characters of a long secret", () => {
    expect(maskSecret("sk-proj-0123456789abcdefWXYZ")).toBe("****WXYZ");
  });

  it("shows nothing of a short secret", () => {
    expect(maskSecret("hunter2")).toBe("****");
    expect(maskSecret("")).toBe("****");
  });

  it("never shows more than four characters of the secret", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (secret) => {
        const masked = maskSecret(secret);
        expect(masked.startsWith("****")).toBe(true);
        const shown = masked.slice(4);
        expect(shown.length).toBeLessThanOrEqual(secret.length >= 16 ? 4 : 0);
        expect(secret.endsWith(shown)).toBe(true);
      }),
    );
  });
});
