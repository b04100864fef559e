import readline from "node:readline";
import { CliError, EXIT_INTERRUPTED } from "./cli-error.js";
import { EchoGate } from "./echo-gate.js";

/**
 * Asks questions one line at a time, on a terminal (with line editing, and
 * without echo for secrets) or from a pipe (one answer per line, which is
 * how scripts and tests answer). Lines that arrive before their question is
 * asked wait in order instead of being lost.
 */
export class LineAsker {
  readonly #output: NodeJS.WritableStream;
  readonly #terminal: boolean;
  readonly #rl: readline.Interface;
  readonly #lines: AsyncIterator<string>;
  readonly #interrupted: Promise<never>;
  readonly #echo: EchoGate;

  constructor(input: NodeJS.ReadStream, output: NodeJS.WriteStream) {
    this.#output = output;
    this.#terminal = input.isTTY === true;
    this.#echo = new EchoGate(output);
    this.#rl = readline.createInterface({ input, output: this.#echo.stream, terminal: this.#terminal });
    this.#lines = this.#rl[Symbol.asyncIterator]();
    this.#interrupted = new Promise<never>((_, reject) => {
      this.#rl.once("SIGINT", () => {
        this.#echo.open();
        output.write("\n");
        reject(new CliError("Cancelled; nothing was saved.", { exitCode: EXIT_INTERRUPTED }));
      });
    });
    this.#interrupted.catch(() => {});
  }

  get terminal(): boolean {
    return this.#terminal;
  }

  /** The answer, or undefined when the input ended (Ctrl-D, or the end of a pipe). */
  async ask(question: string, options: { secret?: boolean } = {}): Promise<string | undefined> {
    const hide = options.secret === true && this.#terminal;
    if (hide) {
      this.#output.write(question);
      this.#rl.setPrompt("");
      this.#echo.shut();
    } else {
      this.#rl.setPrompt(question);
    }
    this.#rl.prompt();
    let next: IteratorResult<string>;
    try {
      next = await Promise.race([this.#lines.next(), this.#interrupted]);
    } finally {
      this.#echo.open();
    }
    // Readline ends the line itself only when it echoed a typed Enter.
    if (hide || !this.#terminal || next.done) this.#output.write("\n");
    return next.done ? undefined : next.value;
  }

  close(): void {
    this.#rl.close();
  }
}
