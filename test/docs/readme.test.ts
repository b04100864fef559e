import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/config/settings.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
/** The configuration tables: the README's, and docs/bedrock.md's for the Bedrock settings. */
const tables = [read("README.md"), read("docs/bedrock.md")].join("\n");

describe("the README", () => {
  it("documents every setting with its default in a configuration table", () => {
    for (const setting of SETTINGS) {
      const row = tables.split("\n").find((line) => new RegExp(`^\\| \`${setting.name}\` +\\|`).test(line));
      expect(row, setting.name).toBeDefined();
      if (setting.default !== undefined) expect(row, setting.name).toContain(`\`${setting.default}\``);
    }
  });
});
