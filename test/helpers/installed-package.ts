/**
 * The package as `npm ci` leaves a clone, without the sources: its manifest
 * (so `npm start` and the other scripts run), and the bin/, dist/ and
 * node_modules of the build of the current sources (built-cli.ts).
 */
import { cpSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { builtPackage } from "./built-cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Lays the package out in `dir` (which must not exist yet) and answers it. */
export async function installedPackage(dir: string): Promise<string> {
  const built = await builtPackage();
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  for (const part of ["bin", "dist", "node_modules"]) symlinkSync(join(built, part), join(dir, part));
  return dir;
}
