#!/usr/bin/env node
// The `open-bedrock` command (and `npm start`, which runs `open-bedrock serve`).
// It runs the compiled CLI, which `npm install` and `npm ci` build into dist/
// (the package's `prepare` script), so a start compiles nothing. In a clone,
// where the sources sit beside dist/, a source newer than the build is
// compiled first, once, so an edited checkout never runs stale code.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const cli = new URL("../dist/src/cli/main.js", import.meta.url);
const BUILD_INPUTS = ["src", "gen", "tsconfig.json", "tsconfig.build.json"];

/** The latest modification time of a file, or of any file below a directory. */
function newest(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(`${path}/${name}`)));
}

const clone = existsSync(`${root}src`) && existsSync(`${root}tsconfig.build.json`);
if (clone && Math.max(...BUILD_INPUTS.map((input) => newest(`${root}${input}`))) > newest(fileURLToPath(cli))) {
  process.stderr.write(
    "open-bedrock: the sources are newer than the build in dist/; building it first (npm run build).\n",
  );
  try {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", `${root}tsconfig.build.json`], {
      cwd: root,
      stdio: "inherit",
    });
  } catch {
    process.stderr.write("open-bedrock: the build failed (above); fix it, or run `npm run build` to see it again.\n");
    process.exit(1);
  }
}
if (!existsSync(cli)) {
  process.stderr.write("open-bedrock: the compiled CLI is missing (dist/); run `npm run build` first.\n");
  process.exit(1);
}
await import(cli.href);
