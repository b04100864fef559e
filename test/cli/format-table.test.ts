import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTable } from "../../src/cli/format-table.js";

describe("formatTable", () => {
  it("aligns columns two spaces apart", () => {
    expect(
      formatTable(
        ["ID", "PROVIDER"],
        [
          ["gpt-4o-mini", "openai"],
          ["x", "bedrock"],
        ],
      ),
    ).toBe("ID           PROVIDER\ngpt-4o-mini  openai\nx            bedrock\n");
  });

  it("starts every column at the same place on every line, and ends no line in spaces", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", "-", ".", "/", "1"), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((columns) =>
            fc.tuple(
              fc.array(cell, { minLength: columns, maxLength: columns }),
              fc.array(fc.array(cell, { minLength: columns, maxLength: columns })),
            ),
          ),
        ([header, rows]) => {
          const lines = formatTable(header, rows).split("\n");
          expect(lines.pop()).toBe("");
          expect(lines).toHaveLength(rows.length + 1);
          const all = [header, ...rows];
          let start = 0;
          header.forEach((_, column) => {
            for (const [index, line] of lines.entries()) {
              expect(line.slice(start).startsWith(all[index]?.[column] ?? "")).toBe(true);
            }
            start += Math.max(...all.map((row) => row[column]?.length ?? 0)) + 2;
          });
          for (const line of lines) expect(line).toBe(line.trimEnd());
        },
      ),
    );
  });
});
