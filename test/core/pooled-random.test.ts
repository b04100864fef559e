import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomBase64Url, randomHex } from "../../src/core/pooled-random.js";

describe("pooled random ids", () => {
  it("gives as many bytes as asked, in the encoding asked, across pool refills", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        for (const bytes of sizes) {
          expect(randomHex(bytes)).toMatch(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
          expect(Buffer.from(randomBase64Url(bytes), "base64url")).toHaveLength(bytes);
        }
      }),
    );
  });

  it("never hands out the same bytes twice", () => {
    const ids = Array.from({ length: 2000 }, () => randomHex(12));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
