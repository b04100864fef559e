/**
 * src/main.ts as a process, as `npm start` runs it: in a directory of its
 * own, with only the environment given (and PATH, HOME), its log lines read
 * as they come.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// Absolute, because the server runs in a directory of its own.
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves at the next log line whose message begins with `msg`. */
  nextLine(msg: string): Promise<Record<string, unknown>>;
}

/**
 * Spawns the entry point in `cwd`; `env` is all the environment it gets
 * besides PATH and HOME (`cwd`), `nodeArgs` go to Node before the script.
 */
export function spawnServer(cwd: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, "--import", TSX, join(ROOT, "src/main.ts")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env },
  });
}

/** Starts the server on any free port, its config directory in `cwd`; resolves once it listens, rejects if it exits first. */
export async function startServerProcess(
  cwd: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const child = spawnServer(cwd, { XDG_CONFIG_HOME: join(cwd, "config"), PORT: "0", ...env }, nodeArgs);
  let stdout = "";
  let pending = "";
  let stderr = "";
  const waiting: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const text of lines.filter(Boolean)) {
      const line = JSON.parse(text) as Record<string, unknown>;
      const index = waiting.findIndex((wait) => String(line.msg).startsWith(wait.msg));
      if (index >= 0) waiting.splice(index, 1)[0]?.resolve(line);
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const nextLine = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      waiting.push({ msg, resolve });
    });
  const listening = nextLine("open-bedrock ");
  const exited = once(child, "exit").then(() => {
    throw new Error(`the server exited: ${stderr}`);
  });
  const line = await Promise.race([listening, exited]);
  return { child, url: String(line.url), stdout: () => stdout, stderr: () => stderr, nextLine };
}
