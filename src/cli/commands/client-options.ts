import { type Command, Option } from "commander";
import { DEFAULT_SERVER_URL } from "../server-target.js";

/** `--server-url` and `--api-key`, the same on every command that talks to a running server. */
export function addServerOptions(command: Command): Command {
  return command
    .addOption(new Option("--server-url <url>", "the running server").default(DEFAULT_SERVER_URL))
    .addOption(new Option("--api-key <key>", "key to send (default: API_KEY, as the server reads it)"));
}
