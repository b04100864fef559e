/**
 * `npm run bench` still runs and says what it should, on a budget too
 * small to mean anything: every scenario gets a row whose figures parse,
 * the floor is measured beside the servers, the gateway's own time comes
 * back in `server-timing`, and the JSON report agrees with the table. No
 * figure is judged: the machine is shared.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Row } from "../../bench/run.js";
import { BUILD_TIMEOUT_MS, builtPackage } from "../helpers/built-cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCENARIOS = [
  "HTTP unary, OPENAI_HTTP_CLIENT=undici",
  "HTTP unary, OPENAI_HTTP_CLIENT=sdk",
  "HTTP SSE, 22 chunks, OPENAI_HTTP_CLIENT=undici",
  "HTTP SSE, 22 chunks, OPENAI_HTTP_CLIENT=sdk",
  "gRPC unary",
  "gRPC stream, 22 chunks",
  "Connect unary (JSON, HTTP/1.1)",
  "gRPC-Web unary (HTTP/1.1)",
  "Bedrock Claude unary, BEDROCK_HTTP_CLIENT=undici",
  "Bedrock Claude unary, BEDROCK_HTTP_CLIENT=sdk",
  "Bedrock Claude stream, 25 events, BEDROCK_HTTP_CLIENT=undici",
  "Bedrock Claude stream, 25 events, BEDROCK_HTTP_CLIENT=sdk",
];

let leader: number | undefined;
afterEach(() => {
  // The bench stops what it started; should it fail, its whole group goes.
  if (leader) {
    try {
      process.kill(-leader, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

beforeAll(() => builtPackage(), BUILD_TIMEOUT_MS);

describe("npm run bench", () => {
  it("prints a row per scenario with the floor, the ratios and the gateway's own time, and writes the same as JSON", async () => {
    const json = join(mkdtempSync(join(tmpdir(), "open-bedrock-bench-")), "bench.json");
    const child = spawn(process.execPath, ["--import", "tsx", "bench/run.ts"], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        BENCH_BUILT: await builtPackage(),
        BENCH_SECONDS: "0.2",
        BENCH_WARMUP_SECONDS: "0",
        BENCH_CONCURRENCY: "2",
        BENCH_JSON: json,
      },
    });
    leader = child.pid;
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const [code] = (await once(child, "exit")) as [number];
    expect(code, stdout).toBe(0);

    const header = stdout.split("\n").find((line) => line.startsWith("| scenario |")) ?? "";
    expect(header).toContain("floor CPU ms/req");
    expect(header).toContain("gateway ms (server-timing)");
    const columns = header.split("|").length;
    const rows = stdout
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| scenario"))
      .map((line) => line.split("|").map((cell) => cell.trim()));
    expect(rows.map((cells) => cells[1])).toEqual(SCENARIOS);
    for (const cells of rows) {
      expect(cells).toHaveLength(columns);
      // Every figure is a number (a ratio ends in x; a pair is "a / b").
      for (const cell of cells.slice(2, -1)) {
        for (const figure of cell.split(" / ")) expect(figure, `${cells[1]}: ${cell}`).toMatch(/^\d+(\.\d+)?x?$/);
      }
    }
    expect(stdout).toMatch(/^- gRPC unary ÷ HTTP unary: \d+\.\d+x \(target at most 1\.2x\): (met|not met)$/m);
    expect(stdout).toMatch(/^- peak RSS of the servers on the default exchanges \(undici\): \d+ MiB/m);

    const report = JSON.parse(readFileSync(json, "utf8")) as { rows: Row[] };
    expect(report.rows.map((row) => row.scenario)).toEqual(SCENARIOS);
    for (const row of report.rows) {
      expect(row.server.requests, row.scenario).toBeGreaterThan(0);
      expect(row.floor.requests, row.scenario).toBeGreaterThan(0);
      expect(row.server.peakRssMiB).toBeGreaterThan(0);
      // Every server answer said how long the gateway itself took.
      expect(row.server.gatewayMs, row.scenario).toBeGreaterThanOrEqual(0);
    }
  }, 240_000);
});
