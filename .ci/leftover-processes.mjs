#!/usr/bin/env node
// Fails (exit 1) when a process this CI run started is still alive, and ends
// it. A process is the run's when it carries the run's mark in its
// environment: .ci/run sets OPEN_BEDROCK_CI_RUN, and every process it starts
// inherits it (npm, the server, test workers and what they spawn with the
// environment). This process and the ones it runs under are not leftovers.
import { readdirSync, readFileSync } from "node:fs";

const mark = process.env.OPEN_BEDROCK_CI_RUN;
if (!mark) {
  console.error("OPEN_BEDROCK_CI_RUN is not set: there is no run to look for.");
  process.exit(2);
}

const read = (pid, file) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
};
/** The parent's pid, from /proc/<pid>/stat (after the command name, which may hold spaces). */
const parentOf = (pid) =>
  read(pid, "stat")
    ?.replace(/^.*\) /, "")
    .split(" ")[1];

const ancestors = new Set();
for (let pid = String(process.pid); pid && pid !== "0"; pid = parentOf(pid)) ancestors.add(pid);

const leftovers = readdirSync("/proc")
  .filter((name) => /^\d+$/.test(name) && !ancestors.has(name))
  .filter((pid) => (read(pid, "environ") ?? "").split("\0").includes(`OPEN_BEDROCK_CI_RUN=${mark}`))
  .map((pid) => ({ pid, command: (read(pid, "cmdline") ?? "").split("\0").join(" ").trim() }))
  // A process that ended while it was looked at has no command line left.
  .filter(({ command }) => command !== "");

if (leftovers.length === 0) {
  console.log("nothing this run started is still running");
  process.exit(0);
}
console.error("still running after CI (now ended):");
for (const { pid, command } of leftovers) {
  console.error(`  ${pid} ${command}`);
  try {
    process.kill(Number(pid), "SIGKILL");
  } catch {
    // It ended by itself meanwhile.
  }
}
process.exit(1);
