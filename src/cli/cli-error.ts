/** Exit codes: 0 done, 1 the command failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** What shells report for a process ended by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * A failure the CLI explains to the person at the terminal: its message is
 * the one line printed, so it says what went wrong and what to do about it.
 */
export class CliError extends Error {
  override name = "CliError";
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
  }
}

/** The command line itself is wrong (a missing argument, a bad option value). */
export class UsageError extends CliError {
  override name = "UsageError";

  constructor(message: string) {
    super(message, { exitCode: EXIT_USAGE });
  }
}
