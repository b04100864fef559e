/**
 * Reloading the models file: in process, through the reloader the server
 * process uses (the file changes on disk; a bad file keeps the old one; a
 * call in flight finishes on the routing it began with), and as the real
 * process, on SIGHUP and on a change of the file, and refusing a bad file
 * at start with its one line.
 */
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ModelsFile } from "../../src/config/models-file.js";
import { readModelsFile } from "../../src/config/read-models-file.js";
import { NO_PROVIDER_WARNING } from "../../src/config/startup-warnings.js";
import { createLogger } from "../../src/logging.js";
import { type ModelsFileReloader, reloadModelsFile } from "../../src/models-file-reloader.js";
import { FAKE_OPENAI_KEY, FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { type ServerProcess, spawnServer, startServerProcess } from "../helpers/server-process.js";

const BACKUP_KEY = "sk-fake-backup-account-0123456789";
const TARGET = "x-open-bedrock-target";

let dir: string;
const primary = new FakeOpenAI();
const backup = new FakeOpenAI(BACKUP_KEY);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "open-bedrock-reload-"));
  await Promise.all([primary.start(), backup.start()]);
});

afterAll(async () => {
  await Promise.all([primary.close(), backup.close()]);
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  primary.reset();
  backup.reset();
});

/** A models file whose `smart` goes to `target`, with the backup account defined. */
function fileText(target: string): string {
  return `providers:
  backup:
    type: openai
    base_url: ${backup.baseURL}
    api_key: \${BACKUP_KEY}
models:
  smart:
    targets: [${target}]
`;
}

const ask = { model: "smart", messages: [{ role: "user" as const, content: "hello" }] };

describe("the reloader, in process", () => {
  const path = () => join(dir, "models.yaml");
  const sources = () => ({
    env: { BACKUP_KEY },
    envFile: join(dir, "no.env"),
    configFile: join(dir, "no-config.json"),
  });
  let gateway: TestGateway;
  let openai: OpenAI;
  let reloader: ModelsFileReloader;
  const reloaderLog: Record<string, unknown>[] = [];
  /** Resolves with the next file the reloader puts in force. */
  let nextReload: Promise<ModelsFile | undefined>;
  let reloaded: (file: ModelsFile | undefined) => void = () => {};

  beforeAll(async () => {
    writeFileSync(path(), fileText("openai/gpt-4o"));
    gateway = await startGateway({
      openaiBaseURL: primary.baseURL,
      config: { modelsFile: readModelsFile(path(), (name) => (name === "BACKUP_KEY" ? BACKUP_KEY : undefined)) },
    });
    openai = new OpenAI({ apiKey: gateway.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const logger = createLogger(
      "info",
      new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split("\n").filter(Boolean)) reloaderLog.push(JSON.parse(line));
          done();
        },
      }),
    );
    const server = {
      reloadModels(file: ModelsFile | undefined) {
        gateway.reloadModels(file);
        reloaded(file);
      },
    };
    reloader = reloadModelsFile(server, path(), sources(), logger, 50);
  });

  afterAll(async () => {
    reloader?.close();
    await gateway?.close(100);
  });

  beforeEach(() => {
    nextReload = new Promise((resolve) => {
      reloaded = resolve;
    });
  });

  async function target(): Promise<string | null> {
    return (await openai.chat.completions.create(ask).withResponse()).response.headers.get(TARGET);
  }

  it("puts a changed file in force: the next calls follow it", async () => {
    expect(await target()).toBe("openai/gpt-4o");
    writeFileSync(path(), fileText("backup/gpt-4o"));
    expect((await nextReload)?.models[0]?.targets).toEqual([{ provider: "backup", modelId: "gpt-4o" }]);
    expect(await target()).toBe("backup/gpt-4o");
    expect(backup.chatRequests[0]?.headers.authorization).toBe(`Bearer ${BACKUP_KEY}`);
    expect(gateway.logs.find((line) => line.msg === "models file loaded")).toMatchObject({
      modelsFile: path(),
      models: ["smart"],
      providers: ["openai", "backup"],
    });
  });

  it("keeps the file in force when the new one does not check out, and says why", async () => {
    writeFileSync(path(), fileText("backup/gpt-4o"));
    reloader.reload("test");
    await nextReload;
    writeFileSync(path(), fileText("nowhere/gpt-4o"));
    reloader.reload("SIGHUP");
    expect(reloaderLog.at(-1)).toMatchObject({
      level: 50,
      reason: "SIGHUP",
      msg: `models file not reloaded, the one in force stays: ${path()}:8:15: models.smart.targets.0: the target 'nowhere/gpt-4o' names no defined provider 'nowhere': define it under providers, or use openai, bedrock or backup.`,
    });
    expect(await target()).toBe("backup/gpt-4o");
  });

  it("lets a call in flight finish on the routing it began with", async () => {
    writeFileSync(path(), fileText("openai/gpt-4o"));
    reloader.reload("test");
    await nextReload;
    let release: () => void = () => {};
    primary.enqueue({ kind: "reply", until: new Promise<void>((resolve) => (release = resolve)) });
    const inFlight = openai.chat.completions.create(ask).withResponse();
    await primary.nextChatRequest();
    nextReload = new Promise((resolve) => {
      reloaded = resolve;
    });
    writeFileSync(path(), fileText("backup/gpt-4o"));
    reloader.reload("test");
    await nextReload;
    expect(await target()).toBe("backup/gpt-4o");
    release();
    const { data, response } = await inFlight;
    expect(data.choices[0]?.message.content).toBe("You said: hello");
    expect(response.headers.get(TARGET)).toBe("openai/gpt-4o");
  });
});

describe("/health across reloads", () => {
  const path = () => join(dir, "health-models.yaml");
  let gateway: TestGateway;

  /** The file read with BACKUP_KEY set or not: the backup account is its only configured provider, or none is. */
  function readWith(key: string | undefined): ModelsFile {
    writeFileSync(path(), fileText("backup/gpt-4o"));
    return readModelsFile(path(), (name) => (name === "BACKUP_KEY" ? key : undefined));
  }

  async function health(): Promise<{ providers: Record<string, boolean>; warnings?: string[] }> {
    return (await fetch(`${gateway.url}/health`)).json() as Promise<{
      providers: Record<string, boolean>;
      warnings?: string[];
    }>;
  }

  beforeAll(async () => {
    // No OpenAI or Bedrock from the environment: the file's providers are all there is.
    gateway = await startGateway({ config: { modelsFile: readWith(undefined) } });
  });

  afterAll(async () => {
    await gateway?.close(100);
  });

  it("lists the named providers and warns while none is configured, as the file in force says on each call", async () => {
    expect(await health()).toEqual({
      status: "ok",
      version: expect.any(String),
      providers: { openai: false, bedrock: false, backup: false },
      warnings: [NO_PROVIDER_WARNING],
    });
    gateway.reloadModels(readWith(BACKUP_KEY));
    expect(await health()).toEqual({
      status: "ok",
      version: expect.any(String),
      providers: { openai: false, bedrock: false, backup: true },
    });
    gateway.reloadModels(undefined);
    expect(await health()).toMatchObject({
      providers: { openai: false, bedrock: false },
      warnings: [NO_PROVIDER_WARNING],
    });
  });
});

describe("the server process", () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    child?.kill("SIGKILL");
    child = undefined;
  });

  async function startMain(cwd: string, env: Record<string, string>): Promise<ServerProcess> {
    const server = await startServerProcess(cwd, env);
    child = server.child;
    return server;
  }

  async function chat(url: string, model: string): Promise<Response> {
    return fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer ob-reload-key", "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
    });
  }

  it("reloads on SIGHUP, reading the file's variables again from .env", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "open-bedrock-reload-main-"));
    writeFileSync(join(cwd, "models.yaml"), fileText("backup/gpt-4o"));
    const server = await startMain(cwd, {
      API_KEY: "ob-reload-key",
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: primary.baseURL,
      MODELS_FILE: "models.yaml",
    });
    // BACKUP_KEY is set nowhere yet: the backup account is off.
    const off = await chat(server.url, "smart");
    expect(off.status).toBe(503);
    expect(((await off.json()) as { error: { message: string } }).error.message).toBe(
      `The backup provider is not configured on this server: set \${BACKUP_KEY}, which models.yaml reads from the environment.`,
    );
    writeFileSync(join(cwd, ".env"), `BACKUP_KEY=${BACKUP_KEY}\n`);
    const loaded = server.nextLine("models file loaded");
    child?.kill("SIGHUP");
    expect(await loaded).toMatchObject({ providers: ["openai", "backup"], models: ["smart"] });
    const on = await chat(server.url, "smart");
    expect(on.status).toBe(200);
    expect(on.headers.get(TARGET)).toBe("backup/gpt-4o");
  });

  it("reloads when the file changes, and keeps the old one when the new one is bad", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "open-bedrock-reload-main-"));
    writeFileSync(join(cwd, "models.yaml"), fileText("openai/gpt-4o"));
    const server = await startMain(cwd, {
      API_KEY: "ob-reload-key",
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: primary.baseURL,
      BACKUP_KEY,
      MODELS_FILE: "models.yaml",
    });
    expect((await chat(server.url, "smart")).headers.get(TARGET)).toBe("openai/gpt-4o");
    const loaded = server.nextLine("models file loaded");
    writeFileSync(join(cwd, "models.yaml"), fileText("backup/gpt-4o"));
    await loaded;
    expect((await chat(server.url, "smart")).headers.get(TARGET)).toBe("backup/gpt-4o");
    const refused = server.nextLine("models file not reloaded");
    writeFileSync(join(cwd, "models.yaml"), "models:\n  smart: {targets: [gpt-4o]}\n");
    expect(String((await refused).msg)).toBe(
      "models file not reloaded, the one in force stays: models.yaml:2:21: models.smart.targets.0: the target 'gpt-4o' names no provider: write <provider>/<model id>, such as openai/gpt-4o.",
    );
    expect((await chat(server.url, "smart")).headers.get(TARGET)).toBe("backup/gpt-4o");
  });

  it("refuses a bad file at start with its one line", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "open-bedrock-reload-main-"));
    writeFileSync(join(cwd, "models.yaml"), "providers:\n  west:\n    type: bedrok\n");
    child = spawnServer(cwd, { MODELS_FILE: "models.yaml", PORT: "0" });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toBe(
      "open-bedrock: models.yaml:3:11: providers.west.type: unknown provider type 'bedrok': use openai or bedrock.\n",
    );
  });
});
