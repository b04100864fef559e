import { type Command, Option } from "commander";

/** `--server-url` and `--api-key`, the same on every command that talks to a running server. */
export function addServerOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--server-url <url>", "the running server").default(
        undefined,
        "HOST and PORT as `serve` reads them: http://127.0.0.1:8000 unless set",
      ),
    )
    .addOption(new Option("--api-key <key>", "key to send (default: API_KEY, as the server reads it)"));
}
