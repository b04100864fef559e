/**
 * The Dockerfile, run without Docker (no engine or registry is reachable
 * here): its own steps, read from the file, in a scratch directory. The
 * build stage's COPY and RUN lines build the package as written; the image
 * stage's COPY lines make the image's files, which then belong to root and
 * are read-only to the image's USER; the ENTRYPOINT and CMD start the server
 * as that unprivileged user (when the test runs as root), and the
 * HEALTHCHECK command, run the same way, must find it healthy.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createHealthClient } from "../helpers/grpc-health-client.js";
import { waitForOutput } from "../helpers/run-cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where distroless' Node lives in the image; here, the Node running the tests. */
const IMAGE_NODE = "/nodejs/bin/node";

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** The Dockerfile's stages and their instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, " ").split("\n");
  const stages: Stage[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(trimmed) ?? [];
    if (keyword.toUpperCase() === "FROM") {
      const [image = "", , name] = args.split(/\s+/);
      stages.push({ image, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** An exec-form argument list (`["a", "b"]`). */
function execForm(args: string): string[] {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`not an exec-form list: ${args}`);
  return parsed.map(String);
}

/** `KEY=value KEY2=value2` of ENV. */
function envPairs(args: string): Record<string, string> {
  return Object.fromEntries(
    [...args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map(([, key, value]) => [key, value?.replace(/^"|"$/g, "")]),
  );
}

/** Whether .dockerignore lets a path of the context into the build (the last matching line wins). */
function inContext(path: string, ignore: string[]): boolean {
  let included = true;
  for (const line of ignore) {
    const negated = line.startsWith("!");
    const pattern = (negated ? line.slice(1) : line).replace(/\/$/, "");
    const matches = pattern === "*" || path === pattern || path.startsWith(`${pattern}/`);
    if (matches) included = negated;
  }
  return included;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(
  command: string,
  args: string[],
  options: Parameters<typeof spawn>[2],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const ignore = readFileSync(join(ROOT, ".dockerignore"), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));
const stages = parseDockerfile(dockerfile);
const scratch = mkdtempSync(join(tmpdir(), "open-bedrock-dockerfile-"));
let server: ChildProcess | undefined;

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = once(server, "exit");
    server.kill("SIGKILL");
    await exited;
  }
  rmSync(scratch, { recursive: true, force: true });
});

describe("the Dockerfile", () => {
  it("has a build stage and an image stage that needs no shell and runs as a numeric non-root user", () => {
    expect(stages.map((stage) => stage.name ?? stage.image)).toEqual([
      "build",
      "gcr.io/distroless/nodejs20-debian12:nonroot",
    ]);
    const image = stages[1] as Stage;
    const keywords = image.instructions.map((instruction) => instruction.keyword);
    expect(keywords).not.toContain("RUN");
    const user = image.instructions.find((instruction) => instruction.keyword === "USER")?.args;
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    for (const keyword of ["ENTRYPOINT", "CMD"]) {
      const instruction = image.instructions.find((candidate) => candidate.keyword === keyword);
      expect(() => execForm(instruction?.args ?? ""), keyword).not.toThrow();
    }
    const healthcheck = image.instructions.find((instruction) => instruction.keyword === "HEALTHCHECK")?.args ?? "";
    expect(() => execForm(healthcheck.slice(healthcheck.indexOf("CMD ") + 4)), "HEALTHCHECK CMD").not.toThrow();
  });

  it("builds with its own steps, then starts as its user from read-only files, healthy to its HEALTHCHECK and to gRPC probes", async () => {
    // Every stage's root; the image's must be readable by its user.
    chmodSync(scratch, 0o755);
    const roots = stages.map((_, index) => join(scratch, `stage-${index}`));
    const contextCopies: string[] = [];
    let image:
      | {
          workdir: string;
          env: Record<string, string>;
          user?: string;
          entrypoint: string[];
          cmd: string[];
          healthcheck: string[];
        }
      | undefined;

    for (const [index, stage] of stages.entries()) {
      const root = roots[index] as string;
      mkdirSync(root, { recursive: true, mode: 0o755 });
      let workdir = root;
      const env: Record<string, string> = {};
      let user: string | undefined;
      let entrypoint: string[] = [];
      let cmd: string[] = [];
      let healthcheck: string[] = [];
      for (const { keyword, args } of stage.instructions) {
        switch (keyword) {
          case "WORKDIR":
            workdir = join(root, args);
            mkdirSync(workdir, { recursive: true, mode: 0o755 });
            break;
          case "ENV":
            Object.assign(env, envPairs(args));
            break;
          case "COPY": {
            const words = args.split(/\s+/);
            const from = words[0]?.startsWith("--from=") ? (words.shift() as string).slice(7) : undefined;
            const target = words.pop() as string;
            const destination = join(workdir, target);
            // Docker's rules: a directory's contents go into the destination; files go into it when
            // it ends with "/" or there are several, else become it.
            const intoDirectory = words.length > 1 || target.endsWith("/");
            for (const source of words) {
              if (from === undefined) {
                expect(inContext(source, ignore), `${source} is in the build context`).toBe(true);
                contextCopies.push(source);
              }
              const fromRoot = from === undefined ? ROOT : roots[stages.findIndex((stage) => stage.name === from)];
              const path = join(fromRoot as string, source);
              const to =
                statSync(path).isDirectory() || !intoDirectory ? destination : join(destination, basename(path));
              mkdirSync(dirname(to), { recursive: true, mode: 0o755 });
              cpSync(path, to, { recursive: true });
            }
            break;
          }
          case "RUN": {
            // The build image has npm's cache of the registry, as a CI runner's Docker layer cache would.
            const result = await run("sh", ["-c", args], {
              cwd: workdir,
              env: { ...process.env, ...env, npm_config_prefer_offline: "true" },
            });
            expect(result.code, `RUN ${args}\n${result.output}`).toBe(0);
            break;
          }
          case "USER":
            user = args;
            break;
          case "ENTRYPOINT":
            entrypoint = execForm(args);
            break;
          case "CMD":
            cmd = execForm(args);
            break;
          case "HEALTHCHECK":
            healthcheck = execForm(args.slice(args.indexOf("CMD ") + 4));
            break;
        }
      }
      image = { workdir, env, ...(user ? { user } : {}), entrypoint, cmd, healthcheck };
    }
    expect(contextCopies).toContain("src");
    if (!image) throw new Error("no stage");
    // What the image copied is the production install: no compiler, no test runner.
    expect(existsSync(join(image.workdir, "node_modules", "typescript"))).toBe(false);
    expect(existsSync(join(image.workdir, "node_modules", "vitest"))).toBe(false);
    expect(existsSync(join(image.workdir, "dist", "src", "health-probe.js"))).toBe(true);

    const asRoot = process.getuid?.() === 0;
    const [uid, gid] = (image.user ?? "").split(":").map(Number);
    const identity = asRoot ? { uid: uid as number, gid: gid as number } : {};
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? "",
      ...image.env,
      // Loopback here, a free port, a key; HOME where nothing can be written.
      HOST: "127.0.0.1",
      PORT: String(port),
      API_KEY: "dockerfile-test-key",
      HOME: join(scratch, "home-of-nobody"),
      // CI's mark, by which it finds any process a run left behind.
      ...(process.env.OPEN_BEDROCK_CI_RUN ? { OPEN_BEDROCK_CI_RUN: process.env.OPEN_BEDROCK_CI_RUN } : {}),
    };
    const command = (args: string[]) => args.map((arg) => (arg === IMAGE_NODE ? process.execPath : arg));
    const [node, ...serveArgs] = command([...image.entrypoint, ...image.cmd]) as [string, ...string[]];
    server = spawn(node, serveArgs, { cwd: image.workdir, env, ...identity, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout?.resume();
    await waitForOutput(server.stderr as NodeJS.ReadableStream, /listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);

    const [probeNode, ...probeArgs] = command(image.healthcheck) as [string, ...string[]];
    const probe = await run(probeNode, probeArgs, { cwd: image.workdir, env, ...identity });
    expect(probe.code, probe.output).toBe(0);
    const health = createHealthClient(`http://127.0.0.1:${port}`);
    try {
      expect(await health.check("")).toBe("SERVING");
    } finally {
      health.close();
    }
    if (asRoot) {
      // The files the image runs from are not its user's to change.
      expect(statSync(join(image.workdir, "dist")).uid).toBe(0);
      expect(statSync(join(image.workdir, "dist")).mode & 0o002).toBe(0);
    }

    const exited = once(server, "exit");
    server.kill("SIGTERM");
    expect(await exited).toEqual([0, null]);
    // Stopped, the server is no longer healthy to the HEALTHCHECK.
    expect((await run(probeNode, probeArgs, { cwd: image.workdir, env, ...identity })).code).toBe(1);
  }, 300_000);
});
