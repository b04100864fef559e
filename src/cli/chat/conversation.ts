import type { ChatMessage } from "./chat-backend.js";

/**
 * The state of one chat session: the model, the system message and every
 * turn so far. The whole history goes with each request, because the server
 * (like OpenAI's API) keeps no state between requests.
 */
export class Conversation {
  model: string;
  system: string | undefined;
  #turns: ChatMessage[] = [];

  constructor(model: string, system?: string) {
    this.model = model;
    this.system = system;
  }

  /** The messages to send for a new user message. */
  messagesFor(userText: string): ChatMessage[] {
    return [
      ...(this.system ? [{ role: "system" as const, content: this.system }] : []),
      ...this.#turns,
      { role: "user", content: userText },
    ];
  }

  /** Keeps a finished exchange; a cancelled or failed one is not kept, so it can be asked again. */
  record(userText: string, answer: string): void {
    this.#turns.push({ role: "user", content: userText }, { role: "assistant", content: answer });
  }

  clear(): void {
    this.#turns = [];
  }

  get turnCount(): number {
    return this.#turns.length / 2;
  }
}
