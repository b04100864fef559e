/**
 * Runs a client of another language as the documents show it: the one shell
 * block whose `skip-test:` reason names the calling runner, against the real
 * server in front of the fake OpenAI, then the same client with a wrong key.
 * The runners are started by .ci/run, which installs the Debian packages
 * these clients need; `npm test` does not run them.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DOCUMENTS, ROOT, shellBlocks } from "../docs/doc-blocks.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway } from "../helpers/gateway.js";

const run = promisify(execFile);

export interface DocumentedClient {
  /** The runner's path from the repository root, as the block's reason names it. */
  runner: string;
  /** Lines the documented command must print (each a prefix of one of its lines). */
  expected: string[];
  /** What the fake OpenAI must have received, as a problem when it did not. */
  upstreamProblem?: (upstream: FakeOpenAI) => string | undefined;
  /** The client run with a wrong key (program and arguments, `--target` appended), and what its error says. */
  wrongKey: { command: string[]; says: string };
}

export async function runDocumentedClient(client: DocumentedClient): Promise<void> {
  const blocks = DOCUMENTS.flatMap((file) => shellBlocks(file)).filter(
    (block) => block.marker.kind === "skip" && block.marker.reason.includes(client.runner),
  );
  if (blocks.length !== 1) throw new Error(`expected one block naming ${client.runner}, found ${blocks.length}`);
  const [block] = blocks as [(typeof blocks)[number]];
  const upstream = new FakeOpenAI();
  await upstream.start();
  const gateway = await startGateway({ openaiBaseURL: upstream.baseURL });
  const target = new URL(gateway.url).host;
  const problems: string[] = [];
  try {
    const script = `set -e\n${block.text.replaceAll("127.0.0.1:8000", target)}`;
    console.log(`${block.file}:${block.line}, with the server at ${target}:\n${script}`);
    const { stdout } = await run("bash", ["-c", script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, API_KEY: gateway.key },
      timeout: 300_000,
    });
    process.stdout.write(stdout);
    const lines = stdout.split("\n");
    for (const line of client.expected) {
      if (!lines.some((printed) => printed.startsWith(line))) problems.push(`no line starting '${line}'`);
    }
    const upstreamProblem = client.upstreamProblem?.(upstream);
    if (upstreamProblem) problems.push(upstreamProblem);
    const denied = await run(client.wrongKey.command[0] ?? "", [...client.wrongKey.command.slice(1), target], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    }).then(
      () => "it succeeded",
      (error: { stderr?: string }) => error.stderr ?? "",
    );
    if (!denied.includes(client.wrongKey.says))
      problems.push(`a wrong key should say ${client.wrongKey.says}: ${denied}`);
  } finally {
    await gateway.close(100);
    await upstream.close();
  }
  for (const problem of problems) console.error(problem);
  console.log(`${client.runner}: ${problems.length > 0 ? "FAILED" : "ok"}`);
  process.exit(problems.length > 0 ? 1 : 0);
}
