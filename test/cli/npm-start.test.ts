/**
 * `npm start` as a person runs it: the built server, started without a
 * compile, printing exactly what `open-bedrock serve` prints; and, in a
 * clone whose sources changed since the build, one build first.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_TIMEOUT_MS, builtPackage } from "../helpers/built-cli.js";
import { installedPackage } from "../helpers/installed-package.js";
import { waitForOutput } from "../helpers/run-cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "open-bedrock-npm-start-"));
let built: string;

beforeAll(async () => {
  built = await builtPackage();
}, BUILD_TIMEOUT_MS);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const installedCopy = (name: string) => installedPackage(join(work, name));

interface Output {
  stdout: string;
  stderr: string;
}

/** Runs a server command until it says where it listens, then stops it with Ctrl-C; answers what it printed. */
async function runUntilListening(command: string, args: string[], cwd: string): Promise<Output> {
  const child: ChildProcess = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, XDG_CONFIG_HOME: join(cwd, "xdg"), API_KEY: "ob-npm-start-key" },
    // Its own process group, so Ctrl-C reaches npm's whole chain as it does on a terminal.
    detached: true,
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  try {
    await waitForOutput(child.stderr as NodeJS.ReadableStream, /Ctrl-C stops it\.\n/, 60_000);
  } finally {
    const exited = once(child, "exit");
    process.kill(-(child.pid as number), "SIGINT");
    await exited;
  }
  return output;
}

/**
 * Each stream's lines, in sorted order, without what varies from run to run:
 * times, ports, npm's banner. The log is written asynchronously, so a line
 * logged as the server stops may overtake the one before it.
 */
function comparable({ stdout, stderr }: Output): Output {
  const mask = (text: string) =>
    text
      .replace(/"time":\d+/g, '"time":0')
      .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>")
      .split("\n")
      .filter((line) => !line.startsWith("> ") && line !== "")
      .sort()
      .join("\n");
  return { stdout: mask(stdout), stderr: mask(stderr) };
}

describe("npm start", () => {
  it("starts the built server without compiling, and prints what `open-bedrock serve` prints", async () => {
    const dir = await installedCopy("installed");
    const main = join(dir, "dist", "src", "cli", "main.js");
    const builtAt = statSync(main).mtimeMs;
    const started = await runUntilListening("npm", ["start", "--", "--port", "0"], dir);
    expect(statSync(main).mtimeMs).toBe(builtAt);
    const served = await runUntilListening(
      process.execPath,
      [join(dir, "bin", "open-bedrock.js"), "serve", "--port", "0"],
      dir,
    );
    expect(comparable(started)).toEqual(comparable(served));
    expect(started.stderr).toMatch(/^open-bedrock is listening on http:\/\/127\.0\.0\.1:\d+ /m);
    expect(started.stdout).toMatch(/"msg":"open-bedrock \S+ listening on http:\/\/127\.0\.0\.1:\d+"/);
  }, 120_000);

  it("serves and stops on SIGTERM leaving no process, as CI's smoke step checks", async () => {
    const dir = await installedCopy("smoke");
    const mark = `${process.pid}-npm-start-smoke-${Date.now()}`;
    const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, "xdg"), OPEN_BEDROCK_CI_RUN: mark };
    const smoke = await promisify(execFile)(join(ROOT, ".ci", "npm-start-smoke"), [dir], { env, timeout: 60_000 });
    expect(smoke.stdout).toMatch(/^ok: npm start served on port \d+ and stopped, leaving nothing$/m);
    const left = await promisify(execFile)(process.execPath, [join(ROOT, ".ci", "leftover-processes.mjs")], { env });
    expect(left.stdout).toBe("nothing this run started is still running\n");
  }, 90_000);

  it(
    "in a clone, builds dist/ first when a source is newer than the build, and only then",
    async () => {
      const clone = join(work, "clone");
      cpSync(join(ROOT, "package.json"), join(clone, "package.json"));
      cpSync(join(ROOT, "bin"), join(clone, "bin"), { recursive: true });
      for (const file of ["tsconfig.json", "tsconfig.build.json"]) cpSync(join(ROOT, file), join(clone, file));
      for (const part of ["src", "gen", "node_modules"]) symlinkSync(join(ROOT, part), join(clone, part));
      // Copied now, so newer than every source: a fresh build.
      cpSync(join(built, "dist"), join(clone, "dist"), { recursive: true });
      const main = join(clone, "dist", "src", "cli", "main.js");
      const version = () =>
        promisify(execFile)(process.execPath, [join(clone, "bin", "open-bedrock.js"), "--version"], {
          cwd: clone,
          timeout: BUILD_TIMEOUT_MS,
        });

      const fresh = statSync(main).mtimeMs;
      const quick = await version();
      expect(quick.stderr).toBe("");
      expect(statSync(main).mtimeMs).toBe(fresh);

      utimesSync(main, new Date(1_000_000), new Date(1_000_000));
      const rebuilt = await version();
      expect(rebuilt.stderr).toContain(
        "open-bedrock: the sources are newer than the build in dist/; building it first (npm run build).\n",
      );
      expect(rebuilt.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
      expect(statSync(main).mtimeMs).toBeGreaterThan(1_000_000);
    },
    BUILD_TIMEOUT_MS,
  );
});
