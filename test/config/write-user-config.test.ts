import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readUserConfig } from "../../src/config/config-sources.js";
import { writeUserConfig } from "../../src/config/write-user-config.js";

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "open-bedrock-config-"));
  path = join(dir, "xdg", "open-bedrock", "config.json");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("writeUserConfig", () => {
  it("creates the directory (0700) and the file (0600), keys sorted", () => {
    writeUserConfig(path, { PORT: "9000", API_KEY: "k" });
    expect(readFileSync(path, "utf8")).toBe('{\n  "API_KEY": "k",\n  "PORT": "9000"\n}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
  });

  it("replaces an existing file, tightening its mode, and leaves no temporary file", () => {
    writeUserConfig(path, { PORT: "1" });
    writeFileSync(path, "{}", { mode: 0o644 });
    writeUserConfig(path, { PORT: "2" });
    expect(readUserConfig(path)).toEqual({ PORT: "2" });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(path))).toEqual(["config.json"]);
  });

  it("writes what readUserConfig reads back", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (values) => {
        fc.pre(!Object.keys(values).includes("__proto__"));
        writeUserConfig(path, values);
        expect(readUserConfig(path)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });
});
