/**
 * The last step of .ci/run: any process the run started that is still alive
 * fails CI, and is ended.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";

const run = promisify(execFile);
const checker = fileURLToPath(new URL("../../.ci/leftover-processes.mjs", import.meta.url));

/** Runs the check as .ci/run does, under the run's mark; answers its exit code and what it said. */
const check = (mark: string) =>
  run(process.execPath, [checker], { env: { PATH: process.env.PATH, OPEN_BEDROCK_CI_RUN: mark } }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: `${error.stdout}${error.stderr}`,
    }),
  );

/** Alive and not a zombie waiting for its parent. */
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

describe("the leftover-process check", () => {
  it("fails naming an orphan the run left behind, ends it, then passes", async () => {
    const mark = `${process.pid}-leftover-test-${Date.now()}`;
    // The shell exits at once; its `sleep` lives on, orphaned, as the server did under `kill $npm`.
    const { stdout } = await run("sh", ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"], {
      env: { PATH: process.env.PATH, OPEN_BEDROCK_CI_RUN: mark },
    });
    const orphan = Number(stdout.trim());
    expect(alive(orphan)).toBe(true);
    const found = await check(mark);
    expect(found.code).toBe(1);
    expect(found.output).toContain(`${orphan} sleep 300`);
    await vi.waitFor(() => expect(alive(orphan)).toBe(false));
    expect(await check(mark)).toEqual({ code: 0, output: "nothing this run started is still running\n" });
  });

  it("looks only for the processes of its own run", async () => {
    const other = await run("sh", ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"], {
      env: { PATH: process.env.PATH, OPEN_BEDROCK_CI_RUN: `${process.pid}-another-run` },
    });
    const pid = Number(other.stdout.trim());
    try {
      expect((await check(`${process.pid}-this-run`)).code).toBe(0);
      expect(alive(pid)).toBe(true);
    } finally {
      process.kill(pid, "SIGKILL");
    }
  });
});
