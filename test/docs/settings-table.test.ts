import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/config/settings.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("the README", () => {
  it("documents every setting with its default in the configuration table", () => {
    for (const setting of SETTINGS) {
      const row = readme.split("\n").find((line) => new RegExp(`^\\| \`${setting.name}\` +\\|`).test(line));
      expect(row, setting.name).toBeDefined();
      if (setting.default !== undefined) expect(row, setting.name).toContain(`\`${setting.default}\``);
    }
  });
});
