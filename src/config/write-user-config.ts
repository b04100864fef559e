import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The file holds secrets: only its owner may read it, or list its directory. */
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/**
 * Replaces the user config file with `values`, atomically: the new content
 * goes to a temporary file beside it, reaches the disk, and is renamed over
 * the old file, so a reader (or a crash) sees the old file or the new one,
 * never half of one.
 */
export function writeUserConfig(path: string, values: Readonly<Record<string, string>>): void {
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
  const sorted = Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
  const content = `${JSON.stringify(sorted, null, 2)}\n`;
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(temporary, "wx", FILE_MODE);
  try {
    try {
      // The umask can only narrow the mode given to open; set it exactly.
      fchmodSync(fd, FILE_MODE);
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
