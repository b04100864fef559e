/**
 * Runs examples/python/client.py (grpcio, stubs generated from proto/) against
 * the real server with the fake OpenAI upstream, and checks what it printed.
 * Needs Debian's python3-grpcio, python3-protobuf, protobuf-compiler and
 * protobuf-compiler-grpc; CI installs them.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway } from "../helpers/gateway.js";

const run = promisify(execFile);
const exampleDir = fileURLToPath(new URL("../../examples/python/", import.meta.url));
const python = process.env.PYTHON ?? "/usr/bin/python3";

const upstream = new FakeOpenAI();
await upstream.start();
const gateway = await startGateway({ openaiBaseURL: upstream.baseURL });
let failed = false;
try {
  await run(`${exampleDir}generate.sh`);
  const { stdout } = await run(python, [
    `${exampleDir}client.py`,
    "--target",
    new URL(gateway.url).host,
    "--api-key",
    gateway.key,
    "--model",
    "gpt-4o-mini",
    "Hello from Python",
  ]);
  process.stdout.write(stdout);
  const expected = [
    "models: gpt-4o-mini, gpt-4o",
    "unary: You said: Hello from Python [stop]",
    "stream: You said: Hello from Python",
    "stream usage:",
  ];
  const missing = expected.filter((line) => !stdout.includes(line));
  const sent = upstream.chatRequests[0]?.body;
  const toolSent = JSON.stringify(sent?.tools).includes('"required":["city"]');
  if (missing.length > 0 || !toolSent) {
    failed = true;
    console.error(`The Python client's output lacks: ${JSON.stringify(missing)}; tool schema forwarded: ${toolSent}`);
  }
  const denied = await run(python, [
    `${exampleDir}client.py`,
    "--target",
    new URL(gateway.url).host,
    "--api-key",
    "wrong",
  ]).then(
    () => "succeeded",
    (error: { stderr?: string }) => error.stderr ?? "",
  );
  if (!denied.includes("UNAUTHENTICATED")) {
    failed = true;
    console.error(`A wrong key should fail with UNAUTHENTICATED, got: ${denied}`);
  }
} finally {
  await gateway.close(100);
  await upstream.close();
}
console.log(failed ? "python client: FAILED" : "python client: ok");
process.exit(failed ? 1 : 0);
