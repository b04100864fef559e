import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SETTINGS } from "../../../src/config/settings.js";
import { KEYS, PtySession } from "../../helpers/pty-session.js";
import { BUILD_TIMEOUT_MS, type CliSandbox, cliCommand, createSandbox, runCli } from "../../helpers/run-cli.js";

/** The built `open-bedrock` command (built once, see built-cli.ts). */
let cli: string[];

beforeAll(async () => {
  cli = await cliCommand();
}, BUILD_TIMEOUT_MS);

let sandbox: CliSandbox;

beforeEach(() => {
  sandbox = createSandbox();
});

afterEach(() => {
  sandbox.remove();
});

const config = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCli(["config", ...args], { sandbox, ...options });

function storedConfig(): unknown {
  return JSON.parse(readFileSync(sandbox.configFile, "utf8"));
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

describe("config set, get, unset", () => {
  it("writes the file in the XDG config directory, readable by its owner only", async () => {
    const result = await config(["set", "PORT", "9000"]);
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(storedConfig()).toEqual({ PORT: "9000" });
    expect(mode(sandbox.configFile)).toBe(0o600);
    expect(mode(dirname(sandbox.configFile))).toBe(0o700);
    // Written through a temporary file that was renamed: none is left behind.
    expect(readdirSync(dirname(sandbox.configFile))).toEqual(["config.json"]);
  });

  it("keeps the other settings, and takes names in any case", async () => {
    await config(["set", "PORT", "9000"]);
    await config(["set", "default_openai_model", "gpt-4o"]);
    await config(["set", "PORT", "9001"]);
    expect(storedConfig()).toEqual({ DEFAULT_OPENAI_MODEL: "gpt-4o", PORT: "9001" });
    expect(mode(sandbox.configFile)).toBe(0o600);
  });

  it("refuses unknown names and bad values, and leaves the file alone", async () => {
    await config(["set", "PORT", "9000"]);
    const unknown = await config(["set", "PROT", "9000"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "open-bedrock: Unknown setting 'PROT'; `open-bedrock config --help` lists the settings.\n",
    );
    const notANumber = await config(["set", "PORT", "eighty"]);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toBe("open-bedrock: PORT must be a whole number from 0 to 65535.\n");
    const badUrl = await config(["set", "OPENAI_BASE_URL", "ftp://x"]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toBe("open-bedrock: OPENAI_BASE_URL must be an http:// or https:// URL.\n");
    expect(storedConfig()).toEqual({ PORT: "9000" });
  });

  it("gets the value the server would use: environment over the file over the default", async () => {
    expect((await config(["get", "PORT"])).stdout).toBe("8000\n");
    await config(["set", "PORT", "9000"]);
    expect((await config(["get", "port"])).stdout).toBe("9000\n");
    expect((await config(["get", "PORT"], { env: { PORT: "7000" } })).stdout).toBe("7000\n");
    const unset = await config(["get", "AWS_PROFILE"]);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toBe("open-bedrock: AWS_PROFILE is not set.\n");
    const unknown = await config(["get", "NOPE"]);
    expect(unknown.code).toBe(2);
  });

  it("notes when the environment hides the value just set", async () => {
    const result = await config(["set", "PORT", "9000"], { env: { PORT: "7000" } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("Note: PORT is also set in the environment, which the server reads first.\n");
  });

  it("unsets a value, and says so when it was not set", async () => {
    await config(["set", "PORT", "9000"]);
    await config(["set", "HOST", "0.0.0.0"]);
    expect((await config(["unset", "PORT"])).code).toBe(0);
    expect(storedConfig()).toEqual({ HOST: "0.0.0.0" });
    const again = await config(["unset", "PORT"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`PORT is not set in ${sandbox.configFile}.\n`);
    expect((await config(["unset", "NOPE"])).code).toBe(2);
  });

  it("refuses to touch a config file that is not valid JSON", async () => {
    mkdirSync(dirname(sandbox.configFile), { recursive: true });
    writeFileSync(sandbox.configFile, "{ not json");
    const result = await config(["set", "PORT", "9000"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^open-bedrock: The config file .*config\.json is not valid JSON: [^\n]*\n$/);
    expect(readFileSync(sandbox.configFile, "utf8")).toBe("{ not json");
  });

  it("needs a name for get and unset", async () => {
    const result = await config(["get"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("open-bedrock: missing required argument 'name'\n");
  });
});

describe("config list and path", () => {
  it("prints where the file is, following XDG_CONFIG_HOME", async () => {
    const result = await config(["path"]);
    expect(result.stdout).toBe(`${sandbox.configFile}\n`);
    const own = await config(["path"], { env: { XDG_CONFIG_HOME: join(sandbox.dir, "elsewhere") } });
    expect(own.stdout).toBe(`${join(sandbox.dir, "elsewhere", "open-bedrock", "config.json")}\n`);
  });

  it("lists every setting with its origin, secrets masked", async () => {
    await config(["set", "OPENAI_API_KEY", "sk-live-0123456789abcdef-WXYZ"]);
    await config(["set", "PORT", "9000"]);
    writeFileSync(join(sandbox.dir, ".env"), "HOST=0.0.0.0\n");
    const result = await config(["list"], { env: { LOG_LEVEL: "debug", API_KEY: "short" } });
    expect(result.code).toBe(0);
    const rows = new Map(
      result.stdout
        .trimEnd()
        .split("\n")
        .map((line) => {
          const [name, value, ...from] = line.split(/\s{2,}/);
          return [name, { value, from: from.join(" ") }];
        }),
    );
    expect(rows.get("NAME")).toEqual({ value: "VALUE", from: "FROM" });
    expect(rows.get("OPENAI_API_KEY")).toEqual({ value: "****WXYZ", from: "config file" });
    expect(rows.get("API_KEY")).toEqual({ value: "****", from: "environment" });
    expect(rows.get("PORT")).toEqual({ value: "9000", from: "config file" });
    expect(rows.get("HOST")).toEqual({ value: "0.0.0.0", from: ".env" });
    expect(rows.get("LOG_LEVEL")).toEqual({ value: "debug", from: "environment" });
    expect(rows.get("AWS_REGION")).toEqual({ value: "us-east-1", from: "default" });
    expect(rows.get("AWS_PROFILE")).toEqual({ value: "-", from: "not set" });
    expect(rows.size).toBe(SETTINGS.length + 1);
    expect(result.stdout).not.toContain("0123456789abcdef");
    expect(result.stdout).not.toContain("short");
  });
});

describe("a config file edited by hand", () => {
  it("keeps names it does not know, shows them as ignored, and lets them be removed", async () => {
    mkdirSync(dirname(sandbox.configFile), { recursive: true });
    writeFileSync(sandbox.configFile, JSON.stringify({ PROT: "9000", PORT: 9001 }));
    await config(["set", "HOST", "0.0.0.0"]);
    expect(storedConfig()).toEqual({ HOST: "0.0.0.0", PORT: "9001", PROT: "9000" });
    const list = await config(["list"]);
    expect(list.stdout).toMatch(/^PROT +\? +config file, unknown name: ignored$/m);
    expect(list.stdout).toMatch(/^PORT +9001 +config file$/m);
    expect((await config(["unset", "PROT"])).code).toBe(0);
    expect(storedConfig()).toEqual({ HOST: "0.0.0.0", PORT: "9001" });
  });
});

describe("config set without a value asks", () => {
  it("asks for the common settings, one answer a line; Enter keeps a value", async () => {
    await config(["set", "HOST", "0.0.0.0"]);
    const common = SETTINGS.filter((setting) => setting.common).map((setting) => setting.name);
    expect(common.slice(0, 3)).toEqual(["API_KEY", "HOST", "PORT"]);
    const result = await config(["set"], { input: "client-key-0123456789\n\n9100\n" });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`Saved 2 settings to ${sandbox.configFile}.\n`);
    expect(result.stdout).toContain("HOST (Address to listen on) [0.0.0.0]: ");
    expect(result.stdout).toContain("PORT (Port for HTTP/1.1, h2c, gRPC and (with TLS) HTTPS) [8000]: ");
    expect(storedConfig()).toEqual({ API_KEY: "client-key-0123456789", HOST: "0.0.0.0", PORT: "9100" });
    expect(mode(sandbox.configFile)).toBe(0o600);
  });

  it("asks for one setting when given only its name", async () => {
    const result = await config(["set", "OPENAI_API_KEY"], { input: "sk-from-stdin-0123456789\n" });
    expect(result.code).toBe(0);
    expect(storedConfig()).toEqual({ OPENAI_API_KEY: "sk-from-stdin-0123456789" });
    expect(result.stdout).not.toContain("sk-from-stdin");
  });

  it("refuses a bad answer from a pipe and saves nothing", async () => {
    const result = await config(["set"], { input: "\n\nnot-a-port\n" });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("open-bedrock: PORT must be a whole number from 0 to 65535. Nothing was saved.\n");
    expect(existsSync(sandbox.configFile)).toBe(false);
  });

  it("on a terminal, hides secrets as they are typed and asks again after a bad value", async () => {
    const terminal = new PtySession([...cli, "config", "set"], {
      cwd: sandbox.dir,
      env: { ...sandbox.env, TERM: "xterm-256color", NO_COLOR: "1" },
    });
    try {
      await terminal.expect("API_KEY (");
      await terminal.expect(": ");
      terminal.type(`secret-client-key-987654321${KEYS.enter}`);
      await terminal.expect("HOST (");
      terminal.type(KEYS.enter);
      await terminal.expect("PORT (");
      terminal.type(`80x${KEYS.enter}`);
      await terminal.expect("PORT must be a whole number from 0 to 65535.");
      await terminal.expect("PORT (");
      terminal.type(`8080${KEYS.enter}`);
      await terminal.expect("OPENAI_API_KEY (");
      terminal.type(KEYS.ctrlD);
      expect(await terminal.exitCode()).toBe(0);
      expect(terminal.text).not.toContain("secret-client-key");
      expect(terminal.text).toContain("80x");
      expect(storedConfig()).toEqual({ API_KEY: "secret-client-key-987654321", PORT: "8080" });
    } finally {
      terminal.kill();
    }
  });

  it("on a terminal, Ctrl-C cancels without saving", async () => {
    const terminal = new PtySession([...cli, "config", "set"], {
      cwd: sandbox.dir,
      env: { ...sandbox.env, TERM: "xterm-256color" },
    });
    try {
      await terminal.expect("API_KEY (");
      terminal.type(`abc-key-0123456789${KEYS.enter}`);
      await terminal.expect("HOST (");
      terminal.type(KEYS.ctrlC);
      expect(await terminal.exitCode()).toBe(130);
      await terminal.expect("Cancelled; nothing was saved.");
      expect(existsSync(sandbox.configFile)).toBe(false);
    } finally {
      terminal.kill();
    }
  });
});

describe("config check", () => {
  const modelsFile = (text: string) => {
    writeFileSync(join(sandbox.dir, "models.yaml"), text);
    return { MODELS_FILE: "models.yaml" };
  };

  it("says the settings are valid, and that no models file is set", async () => {
    expect(await config(["check"])).toMatchObject({
      code: 0,
      stdout: "The settings are valid.\nNo MODELS_FILE is set.\n",
      stderr: "",
    });
  });

  it("sums up a valid models file, and notes a provider left off by an unset variable", async () => {
    const env = modelsFile(`providers:
  bedrock-west: {type: bedrock, region: us-west-2}
  backup: {type: openai, base_url: "https://example.invalid/v1", api_key: "\${BACKUP_KEY}"}
models:
  smart: {targets: [bedrock-west/us.amazon.nova-lite-v1:0, backup/gpt-4.1]}
anthropic_models:
  claude-sonnet-4-5: smart
`);
    expect(await config(["check"], { env })).toEqual({
      code: 0,
      signal: null,
      stdout:
        "The settings are valid.\nThe models file models.yaml is valid: 2 providers (bedrock-west, backup), 1 model (smart), 1 Anthropic name.\n",
      stderr: `Note: models.yaml:3:3: providers.backup: \${BACKUP_KEY} not set in the environment; the provider stays off until it is.\n`,
    });
    const withKey = await config(["check"], { env: { ...env, BACKUP_KEY: "sk-backup-0123456789" } });
    expect(withKey).toMatchObject({ code: 0, stderr: "" });
  });

  it("fails with the line the server would stop with", async () => {
    const env = modelsFile("models:\n  smart: {targets: [bedrock-wst/x]}\n");
    expect(await config(["check"], { env })).toMatchObject({
      code: 1,
      stdout: "",
      stderr:
        "open-bedrock: models.yaml:2:21: models.smart.targets.0: the target 'bedrock-wst/x' names no defined provider 'bedrock-wst': define it under providers, or use openai or bedrock.\n",
    });
  });

  it("fails on a bad setting as the server would", async () => {
    expect(await config(["check"], { env: { PORT: "eighty" } })).toMatchObject({
      code: 1,
      stderr: "open-bedrock: PORT (from the environment) must be a whole number from 0 to 65535.\n",
    });
  });
});
