import { runCli } from "./run-cli.js";

/**
 * Runs a command line as the process's own, then exits with its code; a
 * server started by it keeps the process up until a signal stops it.
 */
export async function runCommandLine(argv: readonly string[]): Promise<void> {
  const { exitCode, serving } = await runCli(argv);
  if (serving) {
    // The server runs until a signal stops it (see serve.ts).
    process.exitCode = exitCode;
    return;
  }
  // Open keep-alive connections must not hold the process; first let stdout and stderr drain.
  process.stdout.write("", () => process.stderr.write("", () => process.exit(exitCode)));
}
