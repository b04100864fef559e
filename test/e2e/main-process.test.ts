/**
 * The real entry point as a process: what `npm start` runs, configured only
 * by its environment and `.env`.
 */
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NO_PROVIDER_WARNING } from "../../src/config/startup-warnings.js";
import { FAKE_OPENAI_KEY, FakeOpenAI } from "../fakes/fake-openai.js";
import { type ServerProcess, spawnServer, startServerProcess } from "../helpers/server-process.js";

let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

/** Resolves once `check` holds; what the process writes comes in its own time. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Starts src/main.ts in an empty directory with only `env` (and PATH/HOME), and `dotEnv` as its .env. */
async function startMain(env: Record<string, string>, dotEnv?: string): Promise<ServerProcess> {
  const cwd = mkdtempSync(join(tmpdir(), "open-bedrock-main-"));
  if (dotEnv) writeFileSync(join(cwd, ".env"), dotEnv);
  const server = await startServerProcess(cwd, env);
  child = server.child;
  return server;
}

describe("the server process", () => {
  it("makes a key when none is set, prints it once, and accepts only it", async () => {
    const upstream = new FakeOpenAI();
    try {
      const server = await startMain({ OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: await upstream.start() });
      const key = /\n {4}(ob-\S+)\n/.exec(server.stderr())?.[1];
      expect(key).toBeDefined();
      const startLine = JSON.parse(server.stdout().split("\n")[0] ?? "{}");
      expect(startLine).toMatchObject({ url: server.url, providers: ["openai"], clientKeys: "generated for this run" });
      expect(server.stdout()).not.toContain(key);
      expect((await fetch(`${server.url}/v1/models`, { headers: { authorization: "Bearer guess" } })).status).toBe(401);
      const models = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      expect(models.status).toBe(200);
      const list = (await models.json()) as { data: { id: string }[] };
      expect(list.data.map((model) => model.id)).toEqual(upstream.models.map((model) => model.id));
      const health = await fetch(`${server.url}/health`);
      expect(await health.json()).toMatchObject({ providers: { openai: true, bedrock: false } });
    } finally {
      await upstream.close();
    }
  });

  it("reads .env below the environment, says where the key came from, and stops on SIGTERM", async () => {
    const server = await startMain({ API_KEY: "from-env" }, "API_KEY=from-dotenv\nLOG_LEVEL=info\n");
    const startLine = JSON.parse(server.stdout().split("\n")[0] ?? "{}");
    expect(startLine).toMatchObject({ clientKeys: "API_KEY (environment)", providers: [] });
    // No generated key to show: only the line `open-bedrock serve` prints, since that is what runs.
    await until(() => server.stderr().endsWith("\n"));
    expect(server.stderr()).toBe(
      `open-bedrock is listening on ${server.url} (OpenAI API at ${server.url}/v1; gRPC and Connect on the same port). Ctrl-C stops it.\n`,
    );
    // With no provider, the log and /health say so and what to set.
    await until(() => server.stdout().split("\n").length > 2);
    const warning = JSON.parse(server.stdout().split("\n")[1] ?? "{}");
    expect(warning).toMatchObject({ level: 40, msg: NO_PROVIDER_WARNING });
    expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({
      status: "ok",
      providers: { openai: false, bedrock: false },
      warnings: [NO_PROVIDER_WARNING],
    });
    const authorized = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer from-env", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    // Authenticated, but no provider is configured.
    expect(authorized.status).toBe(503);
    child?.kill("SIGTERM");
    const [code] = (await once(child as ChildProcess, "exit")) as [number | null];
    expect(code).toBe(0);
  });

  it("refuses a bad setting with one line naming it and its origin", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "open-bedrock-main-"));
    writeFileSync(join(cwd, ".env"), "PORT=eighty\n");
    child = spawnServer(cwd, {});
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("open-bedrock: PORT (from the .env) must be a whole number from 0 to 65535.");
  });
});
