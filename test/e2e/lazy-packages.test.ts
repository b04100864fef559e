/**
 * The AWS SDK's Bedrock clients weigh on every server's memory, so a server
 * loads them only when it needs them: the runtime client's endpoint rules
 * at the first Bedrock call, the control-plane client at the first listing
 * of Bedrock's models.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_AWS_CREDENTIALS, FAKE_AWS_REGION, FakeBedrock } from "../fakes/fake-bedrock.js";
import { FakeBedrockControl } from "../fakes/fake-bedrock-control.js";
import { FAKE_OPENAI_KEY, FakeOpenAI } from "../fakes/fake-openai.js";
import { type ServerProcess, startServerProcess } from "../helpers/server-process.js";

const REPORTER = join(import.meta.dirname, "../fixtures/report-loaded-packages.cjs");
const KEY = "lazy-packages-key";
const RUNTIME = "@aws-sdk/client-bedrock-runtime";
const CONTROL = "@aws-sdk/client-bedrock";

let openaiUpstream: FakeOpenAI;
let bedrock: FakeBedrock;
let control: FakeBedrockControl;
let server: ServerProcess;
let client: OpenAI;

beforeAll(async () => {
  openaiUpstream = new FakeOpenAI();
  bedrock = new FakeBedrock();
  control = new FakeBedrockControl(FAKE_AWS_REGION, FAKE_AWS_CREDENTIALS);
  const [openaiURL] = await Promise.all([openaiUpstream.start(), bedrock.start(), control.start()]);
  const cwd = mkdtempSync(join(tmpdir(), "open-bedrock-lazy-"));
  server = await startServerProcess(
    cwd,
    {
      API_KEY: KEY,
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: openaiURL,
      AWS_REGION: FAKE_AWS_REGION,
      AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey,
      BEDROCK_ENDPOINT_URL: bedrock.url,
      AWS_ENDPOINT_URL_BEDROCK: control.url,
    },
    ["--require", REPORTER],
  );
  client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  server?.child.kill("SIGKILL");
  await Promise.all([openaiUpstream?.close(), bedrock?.close(), control?.close()]);
});

/** The packages the server process has loaded so far, as it reports them. */
async function loadedPackages(): Promise<string[]> {
  const before = server.stderr().length;
  server.child.kill("SIGUSR2");
  for (;;) {
    const line = /loaded packages: (.*)\n/.exec(server.stderr().slice(before));
    if (line?.[1]) return JSON.parse(line[1]) as string[];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: "user", content: "Hi" }] });

describe("the AWS SDK's Bedrock clients", () => {
  it("are not loaded by a server that has only called OpenAI", async () => {
    const answer = await ask("gpt-4o-mini");
    expect(answer.choices[0]?.message.content).toBeTruthy();
    const loaded = await loadedPackages();
    expect(loaded).toContain("@aws-sdk/credential-providers");
    expect(loaded).not.toContain(RUNTIME);
    expect(loaded).not.toContain(CONTROL);
  });

  it("loads the runtime client's endpoint rules at the first Bedrock call, and the control-plane client only to list", async () => {
    const answer = await ask("anthropic.claude-3-5-sonnet-20240620-v1:0");
    expect(answer.choices[0]?.message.content).toBeTruthy();
    expect(bedrock.requests.at(-1)?.rawPath).toBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke");
    let loaded = await loadedPackages();
    expect(loaded).toContain(RUNTIME);
    expect(loaded).not.toContain(CONTROL);

    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain("anthropic.claude-3-5-sonnet-20240620-v1:0");
    loaded = await loadedPackages();
    expect(loaded).toContain(CONTROL);
  });
});
