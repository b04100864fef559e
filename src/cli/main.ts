/** The `open-bedrock` executable: runs the command line, then exits with its code. */
import { runCommandLine } from "./run-command-line.js";

await runCommandLine(process.argv.slice(2));
