import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { checkedBy } from "../setting-option.js";

interface ServeOptions {
  port?: string;
  host?: string;
  workers?: string;
  envFile?: string;
}

export function registerServeCommand(program: Command, io: CliIo, onListening: () => void): void {
  program
    .command("serve")
    .description("Run the server: the OpenAI API, gRPC, gRPC-Web and Connect on one port")
    .option("-p, --port <port>", "port to listen on (overrides PORT)", checkedBy("PORT"))
    .option("-H, --host <address>", "address to listen on (overrides HOST)", checkedBy("HOST"))
    .option(
      "-w, --workers <count>",
      "processes serving the port: a number, or auto for one per core (overrides WORKERS)",
      checkedBy("WORKERS"),
    )
    .option("--env-file <path>", "read settings from this file instead of ./.env")
    .addHelpText(
      "after",
      "\nSettings come from the options above, then the environment, then .env (or --env-file), then the\nuser config file (`open-bedrock config path`). Ctrl-C stops the server gracefully.",
    )
    .action(async (options: ServeOptions) => {
      const overrides: Record<string, string> = {
        ...(options.port === undefined ? {} : { PORT: options.port }),
        ...(options.host === undefined ? {} : { HOST: options.host }),
        ...(options.workers === undefined ? {} : { WORKERS: options.workers }),
      };
      const envFile = options.envFile === undefined ? undefined : resolve(options.envFile);
      if (envFile !== undefined && !existsSync(envFile)) {
        throw new CliError(`--env-file ${options.envFile}: no such file.`);
      }
      // Loaded on use: the server and its providers are the heaviest part of the package.
      const { serve } = await import("../../serve.js");
      const server = await serve({ overrides, env: io.env, ...(envFile ? { envFile } : {}) });
      io.stderr.write(
        `open-bedrock is listening on ${server.url} (OpenAI API at ${server.url}/v1; gRPC and Connect on the same port). Ctrl-C stops it.\n`,
      );
      onListening();
    });
}
