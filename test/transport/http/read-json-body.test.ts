import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "../../../src/transport/http/read-json-body.js";

/** How deep a parsed JSON value nests arrays and objects, read from the value itself. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** JSON whose strings are full of brackets, quotes and escapes, which must not count. */
const trickyJson = fc.jsonValue({
  maxDepth: 6,
  stringUnit: fc.constantFrom("[", "]", "{", "}", '"', "\\", "a", "\\u005b", "\n"),
});

describe("nestsDeeperThan", () => {
  it("answers whether JSON text nests deeper than a bound, whatever its strings hold", () => {
    fc.assert(
      fc.property(trickyJson, fc.boolean(), fc.nat(8), (value, indented, most) => {
        const text = JSON.stringify(value, null, indented ? 2 : undefined);
        expect(nestsDeeperThan(text, most)).toBe(depthOf(value) > most);
      }),
    );
  });

  it("reads nesting far beyond what recursion could", () => {
    const deep = `${"[".repeat(50_000)}${"]".repeat(50_000)}`;
    expect(nestsDeeperThan(deep, 100)).toBe(true);
    expect(nestsDeeperThan(deep, 50_000)).toBe(false);
  });
});
