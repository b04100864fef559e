import { CliError, EXIT_INTERRUPTED, UsageError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { describeError } from "../describe-error.js";
import { readAll } from "../read-stdin.js";
import type { ChatBackend } from "./chat-backend.js";
import type { Conversation } from "./conversation.js";
import { streamAnswer } from "./stream-answer.js";

/**
 * `chat` with stdin from a pipe or a file: the whole input is one prompt,
 * stdout gets only the answer, as it streams.
 */
export async function runOneShotChat(
  backend: ChatBackend,
  conversation: Conversation,
  io: CliIo,
  serverUrl: string,
): Promise<void> {
  const prompt = (await readAll(io.stdin)).replace(/\r?\n$/, "");
  if (prompt.trim() === "") throw new UsageError("No prompt: stdin was empty.");
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  let shown = "";
  try {
    const { text } = await streamAnswer(
      backend,
      { model: conversation.model, messages: conversation.messagesFor(prompt), signal: controller.signal },
      (piece) => {
        shown += piece;
        io.stdout.write(piece);
      },
    );
    if (text !== "" && !text.endsWith("\n")) io.stdout.write("\n");
  } catch (error) {
    if (shown !== "" && !shown.endsWith("\n")) io.stdout.write("\n");
    if (controller.signal.aborted) throw new CliError("Cancelled.", { exitCode: EXIT_INTERRUPTED, cause: error });
    throw new CliError(describeError(error, serverUrl), { cause: error });
  } finally {
    process.off("SIGINT", onSignal);
  }
}
