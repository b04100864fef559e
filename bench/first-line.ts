import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** The first line a child prints (its port, its start line); fails if it ends before printing one. */
export async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  try {
    for await (const line of lines) return line;
  } finally {
    child.stdout?.resume();
  }
  throw new Error(`${child.spawnargs.join(" ")} ended before printing a line`);
}
