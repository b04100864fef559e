/**
 * Drives a command on a real pseudo-terminal, as a person would: it sees a
 * TTY (raw mode, line editing, Ctrl-C as a key). The terminal comes from
 * pty-relay.py (Python's standard `pty` module), so no native addon is
 * needed. Reading works like `expect`: wait for a pattern, which consumes
 * the output up to the end of the match.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { renderTerminal } from "./terminal-screen.js";

const RELAY = fileURLToPath(new URL("./pty-relay.py", import.meta.url));

/** Terminal control sequences (cursor moves, colors) and carriage returns. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it matches
const CONTROL = /\u001b\[[0-9;?]*[A-Za-z]|\r/g;

export const KEYS = { enter: "\r", ctrlC: "\u0003", ctrlD: "\u0004" } as const;

export interface PtyOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  columns?: number;
  rows?: number;
}

export class PtySession {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #raw = "";
  #cursor = 0;
  #closed = false;
  #listeners = new Set<() => void>();

  constructor(command: readonly string[], options: PtyOptions) {
    const size = [String(options.columns ?? 120), String(options.rows ?? 40)];
    this.#child = spawn("python3", [RELAY, ...size, "--", ...command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "inherit"],
    });
    this.#child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      this.#raw += text;
      for (const listener of this.#listeners) listener();
    });
    this.#exited = new Promise((resolve, reject) => {
      this.#child.once("error", reject);
      this.#child.once("close", (code) => {
        this.#closed = true;
        resolve(code);
        for (const listener of this.#listeners) listener();
      });
    });
  }

  /** Everything the terminal showed, escape sequences included. */
  get raw(): string {
    return this.#raw;
  }

  /** Everything the terminal showed as plain text. */
  get text(): string {
    return this.#raw.replace(CONTROL, "");
  }

  /** What the terminal shows now: its lines as the cursor left them (see renderTerminal). */
  get screen(): string {
    return renderTerminal(this.#raw);
  }

  /** Waits until what the terminal shows passes `check`. */
  until(check: (screen: string) => boolean, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const test = () => {
        if (check(this.screen)) {
          done();
          resolve();
        } else if (this.#closed) {
          done();
          reject(new Error(`the terminal closed before it showed what was awaited; it shows:\n${this.screen}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`the terminal did not show what was awaited within ${timeoutMs} ms; it shows:\n${this.screen}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#listeners.delete(test);
      };
      this.#listeners.add(test);
      test();
    });
  }

  /** What the terminal showed after the last match. */
  get unread(): string {
    return this.text.slice(this.#cursor);
  }

  type(keys: string): void {
    this.#child.stdin?.write(keys);
  }

  /** Waits until the unread text matches, then moves past the match. */
  expect(pattern: string | RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const regex = typeof pattern === "string" ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : pattern;
    return new Promise((resolve, reject) => {
      const check = () => {
        const text = this.text;
        const match = regex.exec(text.slice(this.#cursor));
        if (match) {
          this.#cursor += (match.index ?? 0) + match[0].length;
          done();
          resolve(match);
        } else if (this.#closed) {
          done();
          reject(new Error(`the terminal closed without ${regex}; unread:\n${text.slice(this.#cursor)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${regex} within ${timeoutMs} ms; unread:\n${this.unread}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** The command's exit code, waiting at most `timeoutMs` (then it is killed and this rejects). */
  async exitCode(timeoutMs = 15_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`the command did not exit within ${timeoutMs} ms; unread:\n${this.unread}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.#exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (!this.#closed) this.#child.kill("SIGKILL");
  }
}
