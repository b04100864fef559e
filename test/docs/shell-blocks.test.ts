/**
 * Runs every shell block of the README and of docs/*.md, in order, as a
 * reader would paste them, against the real server in front of the fake
 * upstreams (test/fakes/), and checks that each one works as written.
 *
 * - Each document gets a terminal of its own for its ordinary blocks: they
 *   run one after another in bash (`set -e -o pipefail`), in the checkout,
 *   and what one exports the next one sees, as in a terminal. They start
 *   from a clean environment: a block that needs `API_KEY` must export it.
 *   Each must exit 0, and every `curl` in it must answer 2xx (or the status
 *   its `status=NNN` marker or the `HTTP/1.1 NNN` answer shown after it says).
 * - A `server` block runs in a terminal of its own, in a copy of the package
 *   as `npm ci` leaves it, with `PORT` set to a free port; it must come up
 *   (`/health` answers 200) and keeps running until the document's next
 *   `server` block or its end, when it is stopped with Ctrl-C. A document
 *   without one is served by the server as the README's "Try it" starts it.
 * - `skip-test: <reason>` blocks are not run here (see doc-blocks.ts).
 *
 * The documents use one host and one key throughout: the server is always
 * `127.0.0.1:8000`, which becomes the running server's address, and the key
 * is the one `API_KEY` every block exports. The fake upstreams' documented
 * addresses become the fakes' own. The machine's AWS account is the fake
 * Bedrock: `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` and `AWS_ENDPOINT_URL_BEDROCK`
 * point at it, and every `AWS_PROFILE` the documents name is a profile of
 * the fake's keys in `~/.aws/credentials`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_AWS_CREDENTIALS, FAKE_AWS_REGION, FakeBedrock, fakeBedrockConfig } from "../fakes/fake-bedrock.js";
import { FakeBedrockControl } from "../fakes/fake-bedrock-control.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { DEFAULT_FAKE_UPSTREAM_PORTS } from "../fakes/fake-upstreams.js";
import { BUILD_TIMEOUT_MS } from "../helpers/built-cli.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { installedPackage } from "../helpers/installed-package.js";
import { DOCUMENTS, ROOT, readDocument, type ShellBlock, shellBlocks } from "./doc-blocks.js";

/** The one address of the server in every document. */
const DOCUMENTED_SERVER = "127.0.0.1:8000";
/** The settings that point a server at the fake upstreams, with the addresses the documents give them. */
// The addresses `npm run fake-upstreams` prints by default: a README that drifts from them reaches no fake.
const DOCUMENTED_FAKES = {
  OPENAI_BASE_URL: `http://127.0.0.1:${DEFAULT_FAKE_UPSTREAM_PORTS.openai}/v1`,
  BEDROCK_ENDPOINT_URL: `http://127.0.0.1:${DEFAULT_FAKE_UPSTREAM_PORTS.bedrock}`,
  AWS_ENDPOINT_URL_BEDROCK: `http://127.0.0.1:${DEFAULT_FAKE_UPSTREAM_PORTS.bedrockControl}`,
} as const;
const STATUS_LINE = /^open-bedrock-docs-status=(\d{3})$/gm;
const BLOCK_TIMEOUT_MS = 90_000;

const all = DOCUMENTS.map((file) => ({ file, blocks: shellBlocks(file) }));
const everyBlock = all.flatMap(({ blocks }) => blocks);

/** The one value every `export API_KEY=` (or `API_KEY=`) of the documents gives. */
const documentedKeys = new Set(
  everyBlock.flatMap((block) => [...block.text.matchAll(/(?<![\w])API_KEY=(\S+)/g)].map((m) => m[1])),
);
const [DOCUMENTED_KEY = ""] = documentedKeys;
const documentedProfiles = new Set(
  everyBlock.flatMap((block) => [...block.text.matchAll(/\bAWS_PROFILE=([\w-]+)/g)].map((m) => m[1])),
);

let openai: FakeOpenAI;
let bedrock: FakeBedrock;
let control: FakeBedrockControl;
let work: string;
/** The environment every terminal starts from: the machine, not the reader's settings. */
let machine: NodeJS.ProcessEnv;

beforeAll(async () => {
  openai = new FakeOpenAI();
  bedrock = new FakeBedrock();
  control = new FakeBedrockControl(FAKE_AWS_REGION, FAKE_AWS_CREDENTIALS);
  await Promise.all([openai.start(), bedrock.start(), control.start()]);
  work = mkdtempSync(join(tmpdir(), "open-bedrock-docs-"));
  const home = join(work, "home");
  const bin = join(work, "bin");
  mkdirSync(join(home, ".aws"), { recursive: true });
  mkdirSync(bin);
  writeFileSync(
    join(home, ".aws", "credentials"),
    [...documentedProfiles]
      .map(
        (profile) =>
          `[${profile}]\naws_access_key_id = ${FAKE_AWS_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${FAKE_AWS_CREDENTIALS.secretAccessKey}\n`,
      )
      .join("\n"),
  );
  // curl as the reader runs it, but telling the runner each answer's status (on stderr, so pipes see the same output).
  writeFileSync(
    join(bin, "curl"),
    `#!/bin/sh\nexec '${await which("curl")}' --write-out '%{stderr}open-bedrock-docs-status=%{http_code}\\n' "$@"\n`,
  );
  chmodSync(join(bin, "curl"), 0o755);
  machine = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    TERM: "dumb",
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url,
    AWS_ENDPOINT_URL_BEDROCK: control.url,
  };
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([openai?.close(), bedrock?.close(), control?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

async function which(command: string): Promise<string> {
  const { stdout } = await run(`command -v ${command}`, { env: { PATH: process.env.PATH } });
  return stdout.trim();
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<Ran> {
  const child = spawn("bash", ["-c", script], { cwd: options.cwd ?? ROOT, env: options.env });
  const ran: Ran = { code: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => {
    ran.stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    ran.stderr += chunk.toString();
  });
  child.stdin.end();
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ ...ran, code }));
  });
}

/** The block as it runs here: the documented addresses become those of the running server and the fakes. */
function runnable(block: ShellBlock, serverPort: number): string {
  let text = block.text.replaceAll(DOCUMENTED_SERVER, `127.0.0.1:${serverPort}`);
  const actual = {
    OPENAI_BASE_URL: openai.baseURL,
    BEDROCK_ENDPOINT_URL: bedrock.url,
    AWS_ENDPOINT_URL_BEDROCK: control.url,
  };
  for (const [name, documented] of Object.entries(DOCUMENTED_FAKES)) {
    text = text.replaceAll(`${name}=${documented}`, `${name}=${actual[name as keyof typeof actual]}`);
  }
  return text;
}

/** A server a document started, in its own process group so Ctrl-C reaches all of it (npm, sh, node). */
class RunningServer {
  output = "";
  readonly exited: Promise<unknown>;
  constructor(readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.exited = once(child, "exit");
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    process.kill(-(this.child.pid as number), "SIGINT");
    await this.exited;
  }
}

/**
 * Every curl of the block answered what it should: 2xx, or the status its
 * marker or the answer shown after it says. When the block prints the
 * answer with its headers (`curl -i`), that answer is the one shown: the
 * same status, the headers shown among its own, the same JSON body.
 */
function checkAnswers(block: ShellBlock, ran: Ran, where: string): void {
  const statuses = [...ran.stderr.matchAll(STATUS_LINE)].map((match) => Number(match[1]));
  if (/(^|[|;&(])\s*curl /m.test(block.text)) expect(statuses.length, where).toBeGreaterThan(0);
  const expected = (block.marker.kind === "run" ? block.marker.status : undefined) ?? block.shown?.status;
  const fitting = (status: number) => (expected === undefined ? status >= 200 && status < 300 : status === expected);
  expect(
    statuses.filter((status) => !fitting(status)),
    where,
  ).toEqual([]);
  const { shown } = block;
  if (!shown || !ran.stdout.startsWith("HTTP/")) return;
  const [head = "", body = ""] = ran.stdout.replaceAll("\r\n", "\n").split("\n\n");
  expect(Number(head.split(" ")[1]), where).toBe(shown.status);
  for (const header of shown.headers) expect(head.toLowerCase(), where).toContain(header.toLowerCase());
  expect(JSON.parse(body), where).toEqual(JSON.parse(shown.body));
}

/** Waits until the server answers `/health`, or fails when its process ends first. */
async function healthOf(server: RunningServer, port: number): Promise<Record<string, unknown>> {
  let ended = false;
  void server.exited.then(() => {
    ended = true;
  });
  for (;;) {
    if (ended) throw new Error(`the server block ended before it served:\n${server.output}`);
    const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
    if (health?.status === 200) return (await health.json()) as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the documents' shell blocks", () => {
  it("use one key: every API_KEY they set is the same", () => {
    expect([...documentedKeys]).toHaveLength(1);
  });

  it.each(everyBlock.map((block) => [`${block.file}:${block.line}`, block] as const))(
    "%s uses one host and sends that key",
    (_where, block) => {
      expect(block.text).not.toMatch(/localhost/);
      const fakes = Object.values(DOCUMENTED_FAKES).map((url) => new URL(url).host);
      for (const [host] of block.text.matchAll(/127\.0\.0\.1:\d+/g))
        expect([DOCUMENTED_SERVER, ...fakes]).toContain(host);
      if (block.marker.kind === "run" && block.marker.status === 401) return;
      for (const [, key] of block.text.matchAll(/Bearer (\S+?)["'\s]/g)) expect(key).toBe("$API_KEY");
    },
  );

  it("say why each block they do not run here is not run, and are few", () => {
    const skipped = everyBlock.filter((block) => block.marker.kind === "skip");
    for (const block of skipped) expect(block.marker.kind === "skip" && block.marker.reason.length).toBeGreaterThan(10);
    expect(skipped.length).toBeLessThanOrEqual(8);
  });
});

describe.each(all.filter(({ blocks }) => blocks.some((block) => block.marker.kind !== "skip")))(
  "$file",
  ({ file, blocks }) => {
    const state = () => join(work, `${file.replaceAll("/", "_")}.env`);
    let server: RunningServer | undefined;
    let serverPort = 0;
    let fallback: TestGateway | undefined;

    /** The document's own server, else the README's try-it server: both upstreams, the documented key. */
    async function ensureServer(): Promise<void> {
      if (server || fallback) return;
      fallback = await startGateway({
        openaiBaseURL: openai.baseURL,
        config: {
          clientKeys: { keys: [DOCUMENTED_KEY], source: "test", generated: false },
          bedrock: fakeBedrockConfig(bedrock.url, { controlEndpoint: control.url }),
        },
      });
      serverPort = Number(new URL(fallback.url).port);
    }

    afterAll(async () => {
      await server?.stop();
      await fallback?.close(100);
    });

    it.each(blocks.filter((block) => block.marker.kind !== "skip").map((block) => [block.line, block] as const))(
      `${file}:%i works as written`,
      async (_line, block) => {
        openai.reset();
        bedrock.reset();
        if (block.marker.kind === "server") {
          await server?.stop();
          server = undefined;
          await fallback?.close(100);
          fallback = undefined;
          serverPort = await freePort();
          const dir = await installedPackage(join(mkdtempSync(join(work, "package-")), "package"));
          server = new RunningServer(
            spawn("bash", ["-c", `set -e\n${runnable(block, serverPort)}`], {
              cwd: dir,
              env: { ...machine, PORT: String(serverPort) },
              detached: true,
            }),
          );
          expect(await healthOf(server, serverPort)).toMatchObject({ status: "ok" });
          return;
        }
        await ensureServer();
        const script = `set -e -o pipefail\nif [ -f "${state()}" ]; then . "${state()}"; fi\n${runnable(block, serverPort)}\nexport -p > "${state()}"\n`;
        const ran = await run(script, { env: machine });
        const where = `${file}:${block.line}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`;
        expect(ran.code, where).toBe(0);
        checkAnswers(block, ran, where);
      },
      BLOCK_TIMEOUT_MS,
    );
  },
);

describe("the document that says how to start", () => {
  it("is the README, and its first runnable block starts the server", () => {
    const first = shellBlocks("README.md", readDocument("README.md")).find((block) => block.marker.kind !== "skip");
    expect(first?.marker.kind).toBe("server");
  });
});
