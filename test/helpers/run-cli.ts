/**
 * Runs the `open-bedrock` command line as a real child process (the built
 * executable, see built-cli.ts), with a clean environment, a temporary home
 * and config directory, and a working directory without a `.env`, so
 * nothing from the machine leaks in.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliCommand } from "./built-cli.js";

export { BUILD_TIMEOUT_MS, cliCommand } from "./built-cli.js";

export interface CliSandbox {
  /** Temporary directory: HOME, the working directory, and XDG_CONFIG_HOME below it. */
  dir: string;
  configHome: string;
  /** The config file `config set` writes. */
  configFile: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export function createSandbox(): CliSandbox {
  const dir = mkdtempSync(join(tmpdir(), "open-bedrock-cli-test-"));
  const configHome = join(dir, "xdg");
  return {
    dir,
    configHome,
    configFile: join(configHome, "open-bedrock", "config.json"),
    env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: configHome },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  sandbox: CliSandbox;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (stdin is always a pipe here). */
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

export async function spawnCli(args: readonly string[], options: RunOptions): Promise<ChildProcess> {
  const [node, ...script] = (await cliCommand()) as [string, ...string[]];
  return spawn(node, [...script, ...args], {
    cwd: options.cwd ?? options.sandbox.dir,
    env: { ...options.sandbox.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs the CLI to its end; kills it if it outlives the timeout (then the result says so). */
export async function runCli(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const child = await spawnCli(args, options);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  // A CLI that exits before reading its input (Node refusing an option, say) closes the pipe first.
  child.stdin?.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  child.stdin?.end(options.input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 15_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves with the first match of `pattern` in what the stream writes from now on. */
export function waitForOutput(
  stream: NodeJS.ReadableStream,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        cleanup();
        resolve(match);
      }
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`the output ended without ${pattern}; it was:\n${seen}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${pattern} within ${timeoutMs} ms; the output was:\n${seen}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      stream.off("data", onData);
      stream.off("end", onEnd);
    };
    stream.on("data", onData);
    stream.once("end", onEnd);
  });
}
