/**
 * The server from the sources (`npm run dev`): exactly `open-bedrock serve`,
 * with the same options, start lines and messages.
 */
import { runCommandLine } from "./cli/run-command-line.js";

await runCommandLine(["serve", ...process.argv.slice(2)]);
