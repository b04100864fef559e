import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_TIMEOUT_MS, type CliSandbox, cliCommand, createSandbox, runCli } from "../helpers/run-cli.js";

// The first run builds the command (see built-cli.ts).
beforeAll(() => cliCommand(), BUILD_TIMEOUT_MS);

let sandbox: CliSandbox;

beforeAll(() => {
  sandbox = createSandbox();
});

afterAll(() => {
  sandbox?.remove();
});

const cli = (args: string[]) => runCli(args, { sandbox });
const packageVersion = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

describe("the open-bedrock command line", () => {
  it("prints the package's version", async () => {
    for (const flag of ["--version", "-V"]) {
      const result = await cli([flag]);
      expect(result).toMatchObject({ code: 0, stdout: `${packageVersion}\n`, stderr: "" });
    }
  });

  it.each([
    [[], "open-bedrock [options] [command]"],
    [["serve"], "open-bedrock serve [options]"],
    [["chat"], "open-bedrock chat [options]"],
    [["models"], "open-bedrock models [options]"],
    [["config"], "open-bedrock config [options] [command]"],
    [["config", "set"], "open-bedrock config set [options] [name] [value]"],
    [["config", "get"], "open-bedrock config get [options] <name>"],
    [["config", "list"], "open-bedrock config list [options]"],
    [["config", "unset"], "open-bedrock config unset [options] <name>"],
    [["config", "path"], "open-bedrock config path [options]"],
  ])("has --help for %j", async (command, usage) => {
    const result = await cli([...command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`Usage: ${usage}`);
  });

  it("shows the help on stderr and exits 2 without a command", async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: open-bedrock [options] [command]");
  });

  it("refuses an unknown command or option with one line and exit code 2", async () => {
    const command = await cli(["chta"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toBe("open-bedrock: unknown command 'chta' (Did you mean chat?)\n");
    const option = await cli(["models", "--jsn"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("open-bedrock: unknown option '--jsn' (Did you mean --json?)\n");
    const extra = await cli(["config", "path", "extra"]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toBe("open-bedrock: too many arguments for 'path'. Expected 0 arguments but got 1.\n");
  });

  it("lists every setting in the config help", async () => {
    const result = await cli(["config", "--help"]);
    expect(result.stdout).toMatch(
      /^ {2}PORT +Port for HTTP\/1\.1, h2c, gRPC and \(with TLS\) HTTPS \(default 8000\)$/m,
    );
  });
});
