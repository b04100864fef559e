import type { AnswerRequest, ChatBackend, TokenUsage } from "./chat-backend.js";

export interface Answer {
  text: string;
  usage: TokenUsage | undefined;
}

/** Streams one answer, handing each piece of text to `show` as it arrives. */
export async function streamAnswer(
  backend: ChatBackend,
  request: AnswerRequest,
  show: (text: string) => void,
): Promise<Answer> {
  let text = "";
  let usage: TokenUsage | undefined;
  for await (const event of backend.streamAnswer(request)) {
    if (event.type === "text") {
      text += event.text;
      show(event.text);
    } else {
      usage = event.usage;
    }
  }
  // The openai SDK ends a stream quietly when it is aborted; a cancelled answer must not pass for a finished one.
  request.signal.throwIfAborted();
  return { text, usage };
}

export function formatUsage(usage: TokenUsage): string {
  return `[${usage.promptTokens} prompt + ${usage.completionTokens} completion = ${usage.totalTokens} tokens]`;
}
