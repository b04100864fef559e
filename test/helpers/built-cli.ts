/**
 * The `open-bedrock` executable as `npm ci` leaves it: `bin/open-bedrock.js`
 * running the compiled CLI in dist/. Tests run this, not the sources, so
 * they check what users run, and each run starts in a fraction of the time
 * a TypeScript loader needs.
 *
 * The package is compiled once into a temporary directory named after a
 * hash of its sources, and reused while they do not change. Workers that
 * need it at the same time wait for the one that builds it.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const INPUTS = ["src", "gen", "bin", "package.json", "tsconfig.json", "tsconfig.build.json"];
const LOCK_STALE_MS = 180_000;
/** For the `beforeAll` that first asks for the command: a cold build takes a while on a busy machine. */
export const BUILD_TIMEOUT_MS = 240_000;

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

function sourceHash(): string {
  // The checkout's path too: its node_modules is the one the build links to.
  const hash = createHash("sha256").update(ROOT).update("\0");
  const files = INPUTS.flatMap((input) => filesUnder(join(ROOT, input))).sort();
  for (const file of files) hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** Builds of sources long gone are removed (a day old: no run is still using them). */
function pruneOldBuilds(keep: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!/^open-bedrock-cli-[0-9a-f]{16}$/.test(name) || path === keep) continue;
    if ((statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) < dayAgo) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

const complete = (dir: string) => existsSync(join(dir, "dist", "src", "cli", "main.js"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds a copy of the package into `dir`: package.json, bin/, dist/, and node_modules linked. */
async function buildInto(dir: string): Promise<void> {
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  cpSync(join(ROOT, "bin"), join(dir, "bin"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const args = [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(dir, "dist")];
  // tsc emits even when the types are wrong; `npm run typecheck` is the check for that.
  const result = await promisify(execFile)(process.execPath, args, { cwd: ROOT, timeout: 170_000 }).catch(
    (error: { stdout?: string }) => error,
  );
  if (!complete(dir)) throw new Error(`building the CLI failed:\n${result.stdout ?? ""}`);
}

async function build(): Promise<string> {
  const target = join(tmpdir(), `open-bedrock-cli-${sourceHash()}`);
  const lock = `${target}.lock`;
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (!complete(target)) {
    try {
      mkdirSync(lock);
    } catch {
      // Another worker is building it; a lock older than any build is left from a killed run.
      const lockedAt = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > LOCK_STALE_MS) rmSync(lock, { force: true, recursive: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(200);
      continue;
    }
    try {
      if (complete(target)) break;
      const staging = mkdtempSync(`${target}.staging-`);
      try {
        await buildInto(staging);
        rmSync(target, { recursive: true, force: true });
        renameSync(staging, target);
        pruneOldBuilds(target);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return target;
}

let built: Promise<string> | undefined;

/** The directory of the built package (its `bin/open-bedrock.js` is the command). */
export function builtPackage(): Promise<string> {
  built ??= build();
  return built;
}

/** The command line that runs `open-bedrock`; append its arguments. */
export async function cliCommand(): Promise<string[]> {
  return [process.execPath, join(await builtPackage(), "bin", "open-bedrock.js")];
}
