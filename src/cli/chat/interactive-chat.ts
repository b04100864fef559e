import type { CliIo } from "../cli-io.js";
import { describeError } from "../describe-error.js";
import { styleFor, type TextStyle } from "../text-style.js";
import type { ChatBackend } from "./chat-backend.js";
import type { Conversation } from "./conversation.js";
import { parseSlashCommand, SLASH_COMMAND_HELP, type SlashCommand } from "./slash-command.js";
import { formatUsage, streamAnswer } from "./stream-answer.js";
import { TerminalPrompt } from "./terminal-prompt.js";

export interface InteractiveChatOptions {
  backend: ChatBackend;
  conversation: Conversation;
  io: CliIo;
  style: TextStyle;
  /** Shown in the banner and in connection errors. */
  serverUrl: string;
  protocol: string;
}

function modelLabel(model: string): string {
  return model === "" ? "the server's default model" : model;
}

/**
 * The chat session on a terminal: prompt, stream the answer, keep the
 * history, until /exit, Ctrl-D, or Ctrl-C at an empty prompt.
 */
export async function runInteractiveChat(options: InteractiveChatOptions): Promise<void> {
  const { backend, conversation, io, style, serverUrl, protocol } = options;
  const out = (text: string) => io.stdout.write(text);
  const errorStyle = styleFor(io.stderr, io.env);
  const prompt = new TerminalPrompt(io.stdin, io.stdout, style.bold(style.green("> ")));
  let current: AbortController | undefined;
  // A SIGINT sent from elsewhere (kill -INT) acts like Ctrl-C: it cancels the answer, or ends the session.
  const onSignal = () => {
    if (current) current.abort();
    else prompt.close();
  };
  process.on("SIGINT", onSignal);

  const runCommand = (command: SlashCommand): "exit" | undefined => {
    switch (command.name) {
      case "model":
        if (command.argument !== "") conversation.model = command.argument;
        out(`${style.dim(`model: ${modelLabel(conversation.model)}`)}\n`);
        return undefined;
      case "system":
        if (command.argument !== "") conversation.system = command.argument;
        out(`${style.dim(`system: ${conversation.system ?? "(none)"}`)}\n`);
        return undefined;
      case "clear":
        conversation.clear();
        out(`${style.dim("The conversation is cleared.")}\n`);
        return undefined;
      case "help": {
        const width = Math.max(...SLASH_COMMAND_HELP.map(([name]) => name.length));
        const lines = SLASH_COMMAND_HELP.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
        out(`${lines.join("\n")}\n${style.dim("Ctrl-C while an answer streams cancels it.")}\n`);
        return undefined;
      }
      case "exit":
        return "exit";
      case "unknown":
        io.stderr.write(`${errorStyle.red(`Unknown command ${command.typed}; /help lists the commands.`)}\n`);
        return undefined;
    }
  };

  const answer = async (userText: string) => {
    const controller = new AbortController();
    current = controller;
    const stopWatching = prompt.whileAnswering(() => controller.abort());
    let shown = "";
    try {
      const { text, usage } = await streamAnswer(
        backend,
        { model: conversation.model, messages: conversation.messagesFor(userText), signal: controller.signal },
        (piece) => {
          shown += piece;
          out(piece);
        },
      );
      if (text !== "" && !text.endsWith("\n")) out("\n");
      conversation.record(userText, text);
      if (usage) out(`${style.dim(formatUsage(usage))}\n`);
    } catch (error) {
      if (shown !== "" && !shown.endsWith("\n")) out("\n");
      if (controller.signal.aborted) out(`${style.dim("[cancelled]")}\n`);
      else io.stderr.write(`${errorStyle.red(`error: ${describeError(error, serverUrl)}`)}\n`);
    } finally {
      stopWatching();
      current = undefined;
    }
  };

  out(
    `${style.bold("open-bedrock chat")} ${style.dim(`· ${modelLabel(conversation.model)} · ${serverUrl} (${protocol})`)}\n` +
      `${style.dim("Type /help for commands. Ctrl-C cancels an answer; Ctrl-D or /exit leaves.")}\n`,
  );
  try {
    for (;;) {
      const input = await prompt.next();
      if (input.kind === "exit") {
        out("\n");
        return;
      }
      const command = parseSlashCommand(input.text);
      if (command) {
        if (runCommand(command) === "exit") return;
        continue;
      }
      if (input.text.trim() === "") continue;
      await answer(input.text);
    }
  } finally {
    process.off("SIGINT", onSignal);
    prompt.close();
  }
}
