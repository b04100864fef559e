import { type Command, Option } from "commander";
import type { ChatOptions } from "../chat/run-chat.js";
import { SLASH_COMMAND_HELP } from "../chat/slash-command.js";
import type { CliIo } from "../cli-io.js";
import { addServerOptions } from "./client-options.js";

export function registerChatCommand(program: Command, io: CliIo): void {
  const command = program
    .command("chat")
    .description("Chat with a running server: a session on a terminal, one answer when stdin is a pipe")
    .option("-m, --model <name>", "model to use (default: the server's default model)")
    .option("-s, --system <text>", "system message for the conversation")
    .addOption(
      new Option("--protocol <protocol>", "http: the OpenAI API with SSE; grpc: the ChatService over HTTP/2")
        .choices(["http", "grpc"])
        .default("http"),
    );
  addServerOptions(command)
    .addHelpText(
      "after",
      [
        "",
        "At the prompt:",
        ...SLASH_COMMAND_HELP.map(([name, text]) => `  ${name.padEnd(14)}${text}`),
        `  ${"Ctrl-C".padEnd(14)}cancel the answer being written (at an empty prompt: leave)`,
        "",
        "From a pipe, stdin is the prompt and stdout gets only the answer:",
        '  echo "Name three rivers" | open-bedrock chat --model gpt-4o-mini',
      ].join("\n"),
    )
    .action(async (options: ChatOptions) => {
      // Loaded on use, so other commands start without the HTTP and gRPC clients.
      const { runChat } = await import("../chat/run-chat.js");
      await runChat(options, io);
    });
}
