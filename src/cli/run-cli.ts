import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli-error.js";
import { type CliIo, processIo } from "./cli-io.js";
import { registerChatCommand } from "./commands/chat-command.js";
import { registerConfigCommand } from "./commands/config-command.js";
import { registerModelsCommand } from "./commands/models-command.js";
import { registerServeCommand } from "./commands/serve-command.js";
import { describeFailure, oneLine } from "./describe-failure.js";

export interface CliOutcome {
  exitCode: number;
  /** True when a server now runs in this process and the process must stay up. */
  serving: boolean;
}

function buildProgram(io: CliIo, onServing: () => void): Command {
  const program = new Command("open-bedrock")
    .description("One Chat Completions API (OpenAI HTTP, gRPC, gRPC-Web, Connect) in front of OpenAI and AWS Bedrock")
    .version(VERSION, "-V, --version", "print the version")
    .option("--verbose", "on errors, print the stack trace too")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander's own messages start with "error: "; every CLI error line starts with our name.
      outputError: (text, write) => write(`open-bedrock: ${oneLine(text.replace(/^error: /, ""))}\n`),
    });
  registerServeCommand(program, io, onServing);
  registerChatCommand(program, io);
  registerConfigCommand(program, io);
  registerModelsCommand(program, io);
  return program;
}

/** Commander reports help and --version as "errors"; these are the ones that are not. */
const NOT_FAILURES = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

/**
 * Runs the command line `argv` (without `node` and the script). Never
 * throws: every failure becomes one line on stderr and an exit code.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<CliOutcome> {
  let serving = false;
  const program = buildProgram(io, () => {
    serving = true;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return { exitCode: EXIT_OK, serving };
  } catch (error) {
    if (error instanceof CommanderError) {
      // `open-bedrock` (or `config`) without a command shows the help on stderr: a usage error.
      if (NOT_FAILURES.has(error.code)) return { exitCode: error.exitCode === 0 ? EXIT_OK : EXIT_USAGE, serving };
      return { exitCode: EXIT_USAGE, serving };
    }
    const verbose = program.opts<{ verbose?: boolean }>().verbose === true || argv.includes("--verbose");
    io.stderr.write(`open-bedrock: ${describeFailure(error)}\n`);
    if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return { exitCode: error instanceof CliError ? error.exitCode : EXIT_FAILURE, serving };
  }
}
