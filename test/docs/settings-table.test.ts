import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/config/settings.js";

const configuration = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");

describe("docs/configuration.md", () => {
  it("documents every setting with its default in the settings table", () => {
    for (const setting of SETTINGS) {
      const row = configuration.split("\n").find((line) => new RegExp(`^\\| \`${setting.name}\` +\\|`).test(line));
      expect(row, setting.name).toBeDefined();
      if (setting.default !== undefined) expect(row, setting.name).toContain(`\`${setting.default}\``);
    }
  });
});
