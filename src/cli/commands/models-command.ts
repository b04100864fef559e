import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { ModelsOptions } from "../models/list-models.js";
import { addServerOptions } from "./client-options.js";

export function registerModelsCommand(program: Command, io: CliIo): void {
  const command = program
    .command("models")
    .description("List the models a running server offers")
    .option("--json", "print JSON: an array of {id, provider, owned_by, created}")
    .option(
      "--provider <name>",
      "only the models of this provider: openai, bedrock, a provider of the models file, or alias (the models file's names)",
    );
  addServerOptions(command)
    .addHelpText(
      "after",
      "\nOn a terminal the models come as a table; in a pipe as tab-separated lines (id, provider, owned_by, created).",
    )
    .action(async (options: ModelsOptions) => {
      // Loaded on use, so other commands start without the HTTP client.
      const { listModels } = await import("../models/list-models.js");
      await listModels(options, io);
    });
}
