import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readModelsFile } from "../../../src/config/read-models-file.js";
import { type BedrockStack, startBedrockStack } from "../../fakes/fake-bedrock-stack.js";
import { FAKE_OPENAI_KEY } from "../../fakes/fake-openai.js";
import { startGateway, type TestGateway, useOpenAIGateway } from "../../helpers/gateway.js";
import { PtySession } from "../../helpers/pty-session.js";
import { BUILD_TIMEOUT_MS, cliCommand, createSandbox, runCli } from "../../helpers/run-cli.js";

/** The built `open-bedrock` command (built once, see built-cli.ts). */
let cli: string[];

beforeAll(async () => {
  cli = await cliCommand();
}, BUILD_TIMEOUT_MS);

const setup = useOpenAIGateway();
const sandbox = createSandbox();
afterAll(() => sandbox.remove());

const models = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(["models", "--server-url", setup.gateway.url, ...args], {
    sandbox,
    env: { API_KEY: setup.gateway.key, ...env },
  });

describe("models", () => {
  it("prints JSON with each model's provider", async () => {
    const result = await models(["--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([
      { id: "gpt-4o", provider: "openai", owned_by: "system", created: 1715367049 },
      { id: "gpt-4o-mini", provider: "openai", owned_by: "system", created: 1721172741 },
    ]);
  });

  it("prints tab-separated lines without a header into a pipe", async () => {
    const result = await models([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("gpt-4o\topenai\tsystem\t2024-05-10\ngpt-4o-mini\topenai\tsystem\t2024-07-16\n");
  });

  it("prints an aligned table on a terminal", async () => {
    const terminal = new PtySession([...cli, "models", "--server-url", setup.gateway.url], {
      cwd: sandbox.dir,
      env: { ...sandbox.env, API_KEY: setup.gateway.key, TERM: "xterm-256color" },
    });
    try {
      expect(await terminal.exitCode()).toBe(0);
      expect(terminal.text).toBe(
        [
          "ID           PROVIDER  OWNED BY  CREATED",
          "gpt-4o       openai    system    2024-05-10",
          "gpt-4o-mini  openai    system    2024-07-16",
          "",
        ].join("\n"),
      );
    } finally {
      terminal.kill();
    }
  });

  it("filters by provider", async () => {
    const openai = await models(["--provider", "openai", "--json"]);
    expect(JSON.parse(openai.stdout)).toHaveLength(2);
    const bedrock = await models(["--provider", "bedrock"]);
    expect(bedrock.code).toBe(0);
    expect(bedrock.stdout).toBe("");
    expect(bedrock.stderr).toBe(
      "The server offers no bedrock models: its bedrock provider is not configured; start it with AWS credentials (docs/configuration.md).\n",
    );
    const bedrockJson = await models(["--provider", "bedrock", "--json"]);
    expect(JSON.parse(bedrockJson.stdout)).toEqual([]);
  });

  it("finds the server where `serve` would listen: HOST and PORT from .env", async () => {
    const own = createSandbox();
    try {
      const { hostname, port } = new URL(setup.gateway.url);
      writeFileSync(join(own.dir, ".env"), `HOST=${hostname}\nPORT=${port}\nAPI_KEY=${setup.gateway.key}\n`);
      const result = await runCli(["models", "--json"], { sandbox: own });
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toHaveLength(2);
    } finally {
      own.remove();
    }
  });

  it("says why a server without providers offers no models, and what to set", async () => {
    const bare = await startGateway();
    try {
      const result = await runCli(["models", "--server-url", bare.url], { sandbox, env: { API_KEY: bare.key } });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        "The server offers no models: it has no provider configured; start it with OPENAI_API_KEY or AWS credentials (docs/configuration.md).\n",
      );
    } finally {
      await bare.close(100);
    }
  });

  it("refuses a provider the server does not have", async () => {
    const result = await models(["--provider", "azure"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "open-bedrock: The server has no provider 'azure': it has openai, bedrock, and alias for its models file's names.\n",
    );
  });

  it("reports a wrong key as one line, and adds the stack trace only under --verbose", async () => {
    const line = "open-bedrock: Incorrect API key provided. (HTTP 401)";
    const result = await models(["--api-key", "wrong"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`${line}\n`);
    const verbose = await models(["--api-key", "wrong", "--verbose"]);
    expect(verbose.code).toBe(1);
    expect(verbose.stdout).toBe("");
    const [first, ...stack] = verbose.stderr.split("\n");
    expect(first).toBe(line);
    expect(stack.join("\n")).toMatch(/^CliError: Incorrect API key provided[^\n]*\n {4}at /);
  });
});

describe("models from a server with Bedrock configured", () => {
  let stack: BedrockStack;
  /** The server's own list, as GET /v1/models gives it. */
  let served: { id: string; owned_by: string; created: number }[];

  beforeAll(async () => {
    stack = await startBedrockStack({ openaiBaseURL: setup.upstream.baseURL });
    served = [];
    for await (const model of stack.openai.models.list()) served.push(model);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const bedrockModels = (args: string[]) =>
    runCli(["models", "--server-url", stack.gateway.url, ...args], { sandbox, env: { API_KEY: stack.gateway.key } });
  const openaiIds = () => setup.upstream.models.map((model) => model.id).sort();
  const bedrockRows = () =>
    served
      .filter((model) => !openaiIds().includes(model.id))
      .map(({ id, owned_by, created }) => ({ id, provider: "bedrock", owned_by, created }))
      .sort((a, b) => a.id.localeCompare(b.id));

  it("lists the Bedrock models with provider bedrock, after OpenAI's (JSON)", async () => {
    const all = await bedrockModels(["--json"]);
    expect(all.code).toBe(0);
    expect(bedrockRows().length).toBeGreaterThan(5);
    const openaiRows = setup.upstream.models
      .map(({ id, owned_by, created }) => ({ id, provider: "openai", owned_by, created }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(JSON.parse(all.stdout)).toEqual([...bedrockRows(), ...openaiRows]);
  });

  it("keeps one provider's models with --provider, as JSON and as lines", async () => {
    const bedrock = await bedrockModels(["--provider", "bedrock", "--json"]);
    expect(bedrock.code).toBe(0);
    expect(JSON.parse(bedrock.stdout)).toEqual(bedrockRows());
    const openai = await bedrockModels(["--provider", "openai", "--json"]);
    expect(JSON.parse(openai.stdout).map((model: { id: string }) => model.id)).toEqual(openaiIds());
    const lines = await bedrockModels(["--provider", "bedrock"]);
    expect(lines.stderr).toBe("");
    expect(
      lines.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split("\t")[0]),
    ).toEqual(bedrockRows().map((row) => row.id));
  });

  it("prints the Bedrock models as an aligned table on a terminal", async () => {
    const terminal = new PtySession([...cli, "models", "--provider", "bedrock", "--server-url", stack.gateway.url], {
      cwd: sandbox.dir,
      env: { ...sandbox.env, API_KEY: stack.gateway.key, TERM: "xterm-256color" },
      columns: 200,
    });
    try {
      expect(await terminal.exitCode()).toBe(0);
      const cells = [
        ["ID", "PROVIDER", "OWNED BY", "CREATED"],
        ...bedrockRows().map((row) => [
          row.id,
          row.provider,
          row.owned_by,
          // Foundation models have no creation date (0): a dash.
          row.created > 0 ? new Date(row.created * 1000).toISOString().slice(0, 10) : "-",
        ]),
      ];
      const widths = [0, 1, 2].map((column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
      const table = cells.map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join("  ")
          .trimEnd(),
      );
      expect(terminal.text).toBe(`${table.join("\n")}\n`);
    } finally {
      terminal.kill();
    }
  });
});

describe("models from a server with a models file", () => {
  let dir: string;
  let gateway: TestGateway;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "models-cli-"));
    const path = join(dir, "models.yaml");
    writeFileSync(
      path,
      [
        "providers:",
        "  openai-backup:",
        "    type: openai",
        `    base_url: ${setup.upstream.baseURL}`,
        "    api_key: ${BACKUP_KEY}",
        "models:",
        "  smart:",
        "    targets: [openai/gpt-4o, openai-backup/gpt-4o]",
        "",
      ].join("\n"),
    );
    gateway = await startGateway({
      openaiBaseURL: setup.upstream.baseURL,
      config: { modelsFile: readModelsFile(path, (name) => (name === "BACKUP_KEY" ? FAKE_OPENAI_KEY : undefined)) },
    });
  });

  afterAll(async () => {
    await gateway?.close(100);
    rmSync(dir, { recursive: true, force: true });
  });

  const fileModels = (args: string[]) =>
    runCli(["models", "--server-url", gateway.url, "--json", ...args], { sandbox, env: { API_KEY: gateway.key } });

  it("names the named provider of each of its models, and the file's names as alias", async () => {
    const result = await fileModels([]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { id: string; provider: string }[];
    expect(rows.map(({ id, provider }) => `${provider} ${id}`)).toEqual([
      "alias smart",
      "openai gpt-4o",
      "openai gpt-4o-mini",
      "openai-backup openai-backup/gpt-4o",
      "openai-backup openai-backup/gpt-4o-mini",
    ]);
    const backup = await fileModels(["--provider", "openai-backup"]);
    expect(JSON.parse(backup.stdout).map((row: { id: string }) => row.id)).toEqual([
      "openai-backup/gpt-4o",
      "openai-backup/gpt-4o-mini",
    ]);
    const aliases = await fileModels(["--provider", "alias"]);
    expect(JSON.parse(aliases.stdout).map((row: { id: string }) => row.id)).toEqual(["smart"]);
  });
});
