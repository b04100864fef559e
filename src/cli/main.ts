/** The `open-bedrock` executable: runs the command line, then exits with its code. */
import { runCli } from "./run-cli.js";

const { exitCode, serving } = await runCli(process.argv.slice(2));
if (serving) {
  // The server runs until a signal stops it (see serve.ts).
  process.exitCode = exitCode;
} else {
  // Open keep-alive connections must not hold the process; first let stdout and stderr drain.
  process.stdout.write("", () => process.stderr.write("", () => process.exit(exitCode)));
}
