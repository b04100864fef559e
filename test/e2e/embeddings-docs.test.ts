/**
 * Runs every shell example of docs/embeddings.md (curl for HTTP and the
 * Connect protocol, `buf curl` for gRPC) against the real server in front of
 * the fake upstreams, and checks the answer: one vector per input of the
 * example's body, in order, each as long as `dimensions` asks.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useBothUpstreams } from "./formats-gateway.js";

const run = promisify(execFile);
const setup = useBothUpstreams();
const doc = readFileSync(new URL("../../docs/embeddings.md", import.meta.url), "utf8");
const commands = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => (match[1] ?? "").trim());

interface Answer {
  data: { index?: number; embedding: number[] | string }[];
}

/** The numbers a vector of the answer has: a list, or float32s in base64. */
const lengthOf = (embedding: number[] | string) =>
  typeof embedding === "string" ? Buffer.from(embedding, "base64").length / 4 : embedding.length;

describe("docs/embeddings.md", () => {
  it("has an example per protocol: OpenAI's HTTP API, gRPC and Connect", () => {
    expect(commands.some((command) => command.startsWith("curl") && command.includes("/v1/embeddings"))).toBe(true);
    expect(commands.some((command) => command.startsWith("buf curl --protocol grpc"))).toBe(true);
    expect(commands.some((command) => command.startsWith("curl") && command.includes("EmbeddingService"))).toBe(true);
  });

  it.each(commands.map((command, index) => [`${index + 1}: ${command.split("\n")[0]}`, command] as const))(
    "example %s",
    async (_first, documented) => {
      const command = documented
        .replaceAll("http://localhost:8000", setup.gateway.url)
        .replaceAll("Bearer my-key", `Bearer ${setup.gateway.key}`)
        .replace(/^buf curl/, "npx buf curl");
      const { stdout } = await run("sh", ["-c", command], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
      const body = JSON.parse(/-d '([^']*)'/.exec(documented)?.[1] ?? "{}") as {
        input: string | string[];
        dimensions?: number;
      };
      const inputs = typeof body.input === "string" ? [body.input] : body.input;
      const answer = JSON.parse(stdout) as Answer;
      expect(answer.data.map((item) => item.index ?? 0)).toEqual(inputs.map((_, index) => index));
      for (const item of answer.data) {
        expect(lengthOf(item.embedding)).toBe(body.dimensions ?? lengthOf(answer.data[0]?.embedding ?? []));
        expect(lengthOf(item.embedding)).toBeGreaterThan(0);
      }
    },
  );
});
