/**
 * `npm run fake-upstreams`: the test suite's fake OpenAI and fake Bedrock
 * (runtime and control plane) on fixed local ports, so the server can be
 * tried with no OpenAI or AWS account. Prints the settings that point the
 * server at them; Ctrl-C or SIGTERM stops them.
 */
import { parseArgs } from "node:util";
import {
  DEFAULT_FAKE_UPSTREAM_PORTS,
  type FakeUpstreamPorts,
  startFakeUpstreams,
} from "../test/fakes/fake-upstreams.js";

const USAGE = `Usage: npm run fake-upstreams -- [options]

Runs a fake OpenAI and a fake AWS Bedrock on this machine and prints the
settings that point open-bedrock at them.

Options:
  --openai-port <n>           fake OpenAI API (default ${DEFAULT_FAKE_UPSTREAM_PORTS.openai})
  --bedrock-port <n>          fake Bedrock Runtime (default ${DEFAULT_FAKE_UPSTREAM_PORTS.bedrock})
  --bedrock-control-port <n>  fake Bedrock control plane, which lists the models (default ${DEFAULT_FAKE_UPSTREAM_PORTS.bedrockControl})
  --chunk-delay-ms <n>        pause between the words of a streamed answer (default 40)
  -h, --help                  show this help
A port of 0 takes any free port.`;

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new Error(`${flag} takes a port number (0-65535), not "${value}".`);
  }
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "openai-port": { type: "string" },
      "bedrock-port": { type: "string" },
      "bedrock-control-port": { type: "string" },
      "chunk-delay-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const ports: FakeUpstreamPorts = {
    openai: port(values["openai-port"], DEFAULT_FAKE_UPSTREAM_PORTS.openai, "--openai-port"),
    bedrock: port(values["bedrock-port"], DEFAULT_FAKE_UPSTREAM_PORTS.bedrock, "--bedrock-port"),
    bedrockControl: port(
      values["bedrock-control-port"],
      DEFAULT_FAKE_UPSTREAM_PORTS.bedrockControl,
      "--bedrock-control-port",
    ),
  };
  const chunkDelayMs = port(values["chunk-delay-ms"], 40, "--chunk-delay-ms");
  const fakes = await startFakeUpstreams(ports, chunkDelayMs).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    throw new Error(
      `A port is already in use (${error.message.replace(/^listen EADDRINUSE: address already in use /, "")}): ` +
        "another fake-upstreams may be running; choose others with --openai-port, --bedrock-port, --bedrock-control-port.",
    );
  });

  // Listening for the signals before saying how to send them.
  let stopping = false;
  const stop = () => {
    // A terminal's Ctrl-C reaches npm and this process both; stop once.
    if (stopping) return;
    stopping = true;
    void fakes.close().then(() => console.log("Fake upstreams stopped."));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  console.log(`Fake upstreams for open-bedrock (no OpenAI or AWS account needed):
  OpenAI                 ${fakes.openai.baseURL}
  Bedrock Runtime        ${fakes.bedrock.url}
  Bedrock control plane  ${fakes.control.url}
OpenAI models:  ${fakes.models.openai.join(", ")}
Bedrock models: ${fakes.models.bedrock.join(", ")}
Every answer repeats your last message ("You said: ..."), word by word when streamed.

Point the server at them (paste into the shell that starts it, or into .env):
${Object.entries(fakes.settings)
  .map(([name, value]) => `export ${name}=${value}`)
  .join("\n")}

Ctrl-C stops them.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
