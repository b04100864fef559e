/**
 * Runs the shell examples of docs/embeddings.md (curl for HTTP and the
 * Connect protocol, `buf curl` for gRPC) against the real server in front of
 * the fake upstreams, as a reader would with the key exported, and checks
 * each answer: one vector per input of the example's body, in order, each
 * as long as `dimensions` asks.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useBothUpstreams } from "./formats-gateway.js";

const run = promisify(execFile);
const setup = useBothUpstreams();
const doc = readFileSync(new URL("../../docs/embeddings.md", import.meta.url), "utf8");
const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => (match[1] ?? "").trim());
const exported = /^export API_KEY=/;
const commands = blocks.filter((block) => !exported.test(block));

interface Answer {
  data: { index?: number; embedding: number[] | string }[];
}

/** The numbers a vector of the answer has: a list, or float32s in base64. */
const lengthOf = (embedding: number[] | string) =>
  typeof embedding === "string" ? Buffer.from(embedding, "base64").length / 4 : embedding.length;

describe("docs/embeddings.md", () => {
  it("exports the key first, and has an example per protocol: OpenAI's HTTP API, gRPC and Connect", () => {
    expect(blocks[0]).toMatch(exported);
    expect(commands.some((command) => command.startsWith("curl") && command.includes("/v1/embeddings"))).toBe(true);
    expect(commands.some((command) => command.startsWith("npx buf curl --protocol grpc"))).toBe(true);
    expect(commands.some((command) => command.startsWith("curl") && command.includes("EmbeddingService"))).toBe(true);
  });

  it.each(commands.map((command, index) => [`${index + 1}: ${command.split("\n")[0]}`, command] as const))(
    "example %s",
    async (_first, documented) => {
      const command = documented.replaceAll("http://127.0.0.1:8000", setup.gateway.url);
      const { stdout } = await run("sh", ["-c", command], {
        timeout: 30_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, API_KEY: setup.gateway.key },
      });
      const body = JSON.parse(/-d '([^']*)'/.exec(documented)?.[1] ?? "{}") as {
        input: string | string[];
        dimensions?: number;
      };
      const inputs = typeof body.input === "string" ? [body.input] : body.input;
      const answer = JSON.parse(stdout) as Answer;
      expect(answer.data.map((item) => item.index ?? 0)).toEqual(inputs.map((_, index) => index));
      const length = body.dimensions ?? lengthOf(answer.data[0]?.embedding ?? []);
      expect(length).toBeGreaterThan(0);
      for (const item of answer.data) expect(lengthOf(item.embedding)).toBe(length);
    },
  );
});
