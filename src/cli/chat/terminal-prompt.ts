import readline from "node:readline";
import { EchoGate } from "../echo-gate.js";

export type PromptInput = { kind: "line"; text: string } | { kind: "exit" };

const HISTORY_SIZE = 500;

/**
 * The chat prompt on a terminal: line editing and history for the whole
 * session. While an answer is written, what is typed is not echoed but kept:
 * lines finished meanwhile wait their turn (a pasted block becomes one
 * prompt per line) and Ctrl-C goes to whoever is answering.
 */
export class TerminalPrompt {
  readonly #output: NodeJS.WriteStream;
  readonly #prompt: string;
  readonly #echo: EchoGate;
  readonly #rl: readline.Interface;
  readonly #queued: string[] = [];
  #ended = false;
  #waiting: ((input: PromptInput) => void) | undefined;
  #onInterrupt: (() => void) | undefined;

  constructor(input: NodeJS.ReadStream, output: NodeJS.WriteStream, prompt: string) {
    this.#output = output;
    this.#prompt = prompt;
    this.#echo = new EchoGate(output);
    this.#rl = readline.createInterface({
      input,
      output: this.#echo.stream,
      terminal: true,
      prompt,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
    });
    this.#rl.on("line", (text: string) => {
      if (this.#waiting) this.#deliver({ kind: "line", text });
      else this.#queued.push(text);
    });
    // Readline closes on Ctrl-D at an empty line.
    this.#rl.on("close", () => {
      this.#ended = true;
      this.#deliver({ kind: "exit" });
    });
    this.#rl.on("SIGINT", () => this.#interrupt());
  }

  /** The next line: one typed ahead, or one typed at a fresh prompt; `exit` for Ctrl-D, or Ctrl-C at an empty prompt. */
  next(): Promise<PromptInput> {
    const queued = this.#queued.shift();
    if (queued !== undefined) {
      // It was typed while the echo was shut: show it now, as if typed at this prompt.
      this.#output.write(`${this.#prompt}${queued}\n`);
      return Promise.resolve({ kind: "line", text: queued });
    }
    if (this.#ended) return Promise.resolve({ kind: "exit" });
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#rl.prompt(true);
    });
  }

  /** Until the returned function is called: no echo, and Ctrl-C calls `onInterrupt`. */
  whileAnswering(onInterrupt: () => void): () => void {
    this.#echo.shut();
    this.#onInterrupt = onInterrupt;
    return () => {
      this.#onInterrupt = undefined;
      this.#echo.open();
    };
  }

  close(): void {
    this.#rl.close();
  }

  #deliver(input: PromptInput): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.(input);
  }

  #interrupt(): void {
    if (this.#onInterrupt) {
      this.#onInterrupt();
      return;
    }
    if (this.#rl.line === "") {
      this.#ended = true;
      this.#deliver({ kind: "exit" });
      return;
    }
    // Ctrl-C on a typed line drops it, as shells do, and prompts afresh below it.
    this.#rl.write(null, { ctrl: true, name: "e" });
    this.#output.write("^C\n");
    this.#rl.write(null, { ctrl: true, name: "u" });
  }
}
