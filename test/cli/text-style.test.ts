import { describe, expect, it } from "vitest";
import { colorsWanted, textStyle } from "../../src/cli/text-style.js";

describe("colors", () => {
  const terminal = { isTTY: true };

  it("are on for a terminal only", () => {
    expect(colorsWanted(terminal, {})).toBe(true);
    expect(colorsWanted({ isTTY: false }, {})).toBe(false);
    expect(colorsWanted({}, {})).toBe(false);
  });

  it("are off with NO_COLOR set to anything but the empty string, and on a dumb terminal", () => {
    expect(colorsWanted(terminal, { NO_COLOR: "1" })).toBe(false);
    expect(colorsWanted(terminal, { NO_COLOR: "false" })).toBe(false);
    expect(colorsWanted(terminal, { NO_COLOR: "" })).toBe(true);
    expect(colorsWanted(terminal, { TERM: "dumb" })).toBe(false);
  });

  it("leave text unchanged when off", () => {
    const plain = textStyle(false);
    expect(plain.red("x") + plain.bold("y") + plain.dim("z")).toBe("xyz");
    expect(textStyle(true).red("x")).toBe("\u001b[31mx\u001b[39m");
  });
});
