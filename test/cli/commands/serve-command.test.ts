import { type ChildProcess, execFile } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/cli-io.js";
import { runCli as runCommandLine } from "../../../src/cli/run-cli.js";
import { FAKE_AWS_CREDENTIALS, FAKE_AWS_REGION, FakeBedrock } from "../../fakes/fake-bedrock.js";
import { FakeBedrockControl } from "../../fakes/fake-bedrock-control.js";
import { FakeOpenAI } from "../../fakes/fake-openai.js";
import {
  BUILD_TIMEOUT_MS,
  type CliSandbox,
  cliCommand,
  createSandbox,
  runCli,
  spawnCli,
  waitForOutput,
} from "../../helpers/run-cli.js";

// The first run builds the command (see built-cli.ts).
beforeAll(() => cliCommand(), BUILD_TIMEOUT_MS);

let sandbox: CliSandbox;
let upstream: FakeOpenAI;
const running = new Set<ChildProcess>();

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
});

afterAll(async () => {
  await upstream?.close();
});

beforeEach(() => {
  sandbox = createSandbox();
});

afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
  sandbox.remove();
});

interface Served {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
}

/** Starts `open-bedrock serve` and waits for the line that says where it listens. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = await spawnCli(["serve", ...args], { sandbox, env });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [, url] = await waitForOutput(child.stderr as NodeJS.ReadableStream, /listening on (http:\/\/\S+) /);
  return { child, url: url as string, stdout: () => stdout, stderr: () => stderr };
}

async function stop(served: Served): Promise<number | null> {
  const exited = once(served.child, "exit");
  served.child.kill("SIGINT");
  const [code] = (await exited) as [number | null];
  running.delete(served.child);
  return code;
}

const models = (url: string, key: string) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });

describe("serve", () => {
  it("listens where --port and --host say, prints it, and stops on Ctrl-C with exit 0", async () => {
    // --port wins over the environment: PORT here is not even valid.
    const served = await serve(["--port", "0", "--host", "127.0.0.1"], { PORT: "not-a-port", API_KEY: "client-key-1" });
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.url).not.toBe("http://127.0.0.1:0");
    const health = await fetch(`${served.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    // The server's log (stdout) tells the same address.
    expect(served.stdout()).toContain(`listening on ${served.url}`);
    expect(await stop(served)).toBe(0);
  });

  it("reads --env-file, and the user config file below it", async () => {
    await runCli(["config", "set", "API_KEY", "key-from-config-file"], { sandbox });
    await runCli(["config", "set", "OPENAI_BASE_URL", upstream.baseURL], { sandbox });
    const envFile = join(sandbox.dir, "custom.env");
    writeFileSync(envFile, `API_KEY=key-from-env-file\nOPENAI_API_KEY=sk-fake-upstream-secret-0123456789\n`);
    const served = await serve(["--port", "0", "--env-file", envFile]);
    expect((await models(served.url, "key-from-env-file")).status).toBe(200);
    expect((await models(served.url, "key-from-config-file")).status).toBe(401);
    // OPENAI_BASE_URL came from the config file: the models are the fake upstream's.
    const list = (await (await models(served.url, "key-from-env-file")).json()) as { data: { id: string }[] };
    expect(list.data.map((model) => model.id).sort()).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(await stop(served)).toBe(0);
  });

  it("uses the config file written by `config set` when nothing else sets a value", async () => {
    await runCli(["config", "set", "API_KEY", "key-from-config-file"], { sandbox });
    const served = await serve(["--port", "0"]);
    expect((await models(served.url, "key-from-config-file")).status).toBe(200);
    expect(served.stderr()).not.toContain("generated key");
    expect(await stop(served)).toBe(0);
  });

  it("refuses a client key shorter than 8 characters before starting", async () => {
    const result = await runCli(["serve", "--port", "0"], { sandbox, env: { API_KEY: "secret" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "open-bedrock: API_KEY (from the environment) must be at least 8 characters long (it has 6): a short key is easy to guess.\n",
    );
    const workers = await runCli(["serve", "--workers", "none"], { sandbox });
    expect(workers.code).toBe(2);
    expect(workers.stderr).toContain("WORKERS must be auto or a whole number from 1 to 256.");
  });

  it("refuses a bad --port before starting", async () => {
    const result = await runCli(["serve", "--port", "http"], { sandbox });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "open-bedrock: option '-p, --port <port>' argument 'http' is invalid. PORT must be a whole number from 0 to 65535.\n",
    );
  });

  it("fails with one line when --env-file does not exist: Node's own where Node checks the file first", async () => {
    // Node 20 to 26 check a file named after any --env-file argument, the script's own too (nodejs/node#54232):
    // what Node does for a script that does nothing is what happens to the command before it runs.
    const probe = join(sandbox.dir, "probe.mjs");
    writeFileSync(probe, "");
    const node = await promisify(execFile)(process.execPath, [probe, "serve", "--env-file", "missing.env"], {
      cwd: sandbox.dir,
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    const result = await runCli(["serve", "--port", "0", "--env-file", "missing.env"], { sandbox });
    expect(result.stdout).toBe("");
    if (node) {
      // Node names itself as it was started: `node` from the shebang, its path here.
      expect(node).toEqual({ code: 9, stderr: `${process.execPath}: missing.env: not found\n` });
      expect({ code: result.code, stderr: result.stderr }).toEqual(node);
    } else {
      expect({ code: result.code, stderr: result.stderr }).toEqual({
        code: 1,
        stderr: "open-bedrock: --env-file missing.env: no such file.\n",
      });
    }
  });

  it("says which --env-file is missing when Node lets the argument through to the command", async () => {
    const stderr = new PassThrough();
    let said = "";
    stderr.setEncoding("utf8").on("data", (text: string) => {
      said += text;
    });
    const io = { stdin: process.stdin, stdout: new PassThrough(), stderr, env: {} } as unknown as CliIo;
    const outcome = await runCommandLine(["serve", "--port", "0", "--env-file", join(sandbox.dir, "missing.env")], io);
    expect(outcome).toEqual({ exitCode: 1, serving: false });
    expect(said).toBe(`open-bedrock: --env-file ${join(sandbox.dir, "missing.env")}: no such file.\n`);
  });

  it("fails with one line when the port is taken, and with the stack under --verbose", async () => {
    const first = await serve(["--port", "0"], { API_KEY: "client-key-1" });
    const port = new URL(first.url).port;
    const said = `open-bedrock: Cannot listen on port ${port} on 127.0.0.1: another server is listening there (perhaps open-bedrock, already running). Stop it, or choose another port with PORT or --port.`;
    const plain = await runCli(["serve", "--port", port], { sandbox, env: { API_KEY: "client-key-1" } });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe(`${said}\n`);
    const verbose = await runCli(["serve", "--port", port, "--verbose"], { sandbox, env: { API_KEY: "client-key-1" } });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr.split("\n")[0]).toBe(said);
    expect(verbose.stderr).toMatch(/\n {4}at .+/);
    expect(await stop(first)).toBe(0);
  });

  it("logs the process's warnings as one JSON line each, among the others (the AWS SDK's notice on Node 20)", async () => {
    const bedrock = new FakeBedrock();
    const control = new FakeBedrockControl(FAKE_AWS_REGION, FAKE_AWS_CREDENTIALS);
    await Promise.all([bedrock.start(), control.start()]);
    try {
      const served = await serve(["--port", "0"], {
        API_KEY: "client-key-1",
        AWS_REGION: FAKE_AWS_REGION,
        AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
        BEDROCK_ENDPOINT_URL: bedrock.url,
        AWS_ENDPOINT_URL_BEDROCK: control.url,
      });
      // Listing the models builds the AWS SDK's control-plane client, which warns on Node < 22.
      expect((await models(served.url, "client-key-1")).status).toBe(200);
      expect(await stop(served)).toBe(0);
      const lines = served.stdout().split("\n").filter(Boolean);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      if (Number(process.versions.node.split(".")[0]) < 22) {
        const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.warning);
        expect(warning).toMatchObject({ level: 40, warning: "Warning" });
        expect(warning.msg).toMatch(/^NodeVersionSupportWarning: The AWS SDK for JavaScript \(v3\) versions published/);
      }
      expect(served.stderr()).not.toContain("Warning");
    } finally {
      await Promise.all([bedrock.close(), control.close()]);
    }
  });
});
