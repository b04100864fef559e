/**
 * The executable as a user gets it: `bin/open-bedrock.js` running the
 * compiled CLI in dist/, in a copy of the package built from the current
 * sources (built-cli.ts), so this checks the compiled code rather than
 * whatever the working tree's dist/ happens to hold. Every CLI test runs
 * this same executable; here are the packaging details.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILD_TIMEOUT_MS, builtPackage } from "../helpers/built-cli.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  bin: Record<string, string>;
  files: string[];
};
let installed: string;

beforeAll(async () => {
  installed = await builtPackage();
}, BUILD_TIMEOUT_MS);

const openBedrock = (args: string[]) =>
  promisify(execFile)(process.execPath, [join(installed, manifest.bin["open-bedrock"] ?? ""), ...args], {
    cwd: installed,
    env: { PATH: process.env.PATH, HOME: installed, XDG_CONFIG_HOME: join(installed, "xdg") },
    timeout: 15_000,
  });

describe("the open-bedrock executable", () => {
  it("is the package's bin, with a node shebang, shipped in the package", () => {
    expect(manifest.bin).toEqual({ "open-bedrock": "bin/open-bedrock.js" });
    expect(manifest.files).toEqual(expect.arrayContaining(["bin", "dist"]));
    expect(readFileSync(join(root, "bin", "open-bedrock.js"), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it("runs the compiled CLI, which loads a command's code when the command runs", async () => {
    expect((await openBedrock(["--version"])).stdout).toBe(`${manifest.version}\n`);
    // fetch never connects to port 9 (a blocked port): the models command loads, then fails as it should.
    const failed = await openBedrock(["models", "--server-url", "http://127.0.0.1:9", "--api-key", "k"]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({
      code: 1,
      stderr: "open-bedrock: Cannot reach the server at http://127.0.0.1:9: bad port\n",
    });
  });
});
