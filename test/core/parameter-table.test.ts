import { describe, expect, it } from "vitest";
import { fromParameterTable, type ParameterTable } from "../../src/core/parameter-table.js";

interface Body {
  name: string;
  size?: number;
  tags?: string[];
}

describe("fromParameterTable", () => {
  it("sets each field its reader answers, and leaves out the ones that answer undefined", () => {
    const table: ParameterTable<Body, { name: string; size?: number }> = {
      name: (input) => input.name.toUpperCase(),
      size: (input) => input.size,
      tags: () => undefined,
    };
    expect(fromParameterTable(table, { name: "a", size: 0 })).toStrictEqual({ name: "A", size: 0 });
    expect(fromParameterTable(table, { name: "b" })).toStrictEqual({ name: "B" });
  });

  it("reads every field of the table once per call, in the table's order", () => {
    const read: string[] = [];
    const table: ParameterTable<Body, null> = {
      tags: () => {
        read.push("tags");
        return [];
      },
      name: () => {
        read.push("name");
        return "";
      },
    };
    expect(Object.keys(fromParameterTable(table, null))).toStrictEqual(["tags", "name"]);
    expect(read).toStrictEqual(["tags", "name"]);
  });
});
