/**
 * Configured secrets of any length, echoed by an upstream in its error,
 * never reach a caller (OpenAI API, gRPC, Connect) or the log: long ones
 * are removed wherever they appear, short ones wherever they stand alone.
 * The models file's secrets are configured secrets too, a reloaded file's
 * included.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IMAGE_FETCH } from "../../src/config/load-config.js";
import { readModelsFile } from "../../src/config/read-models-file.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient, type GrpcChatClient } from "../helpers/grpc-client.js";

const SHORT_SECRET = "s3c";
const ODD_SECRET = "p@ss:w0rd/+";
const TOKEN = "tk";
// The models file's: an OpenAI-compatible account's key, a Bedrock account's secret, and a reloaded file's key.
const FILE_KEY = "fk9";
const FILE_SECRET = "fs7";
const RELOADED_KEY = "rk5";

let dir: string;
let upstream: FakeOpenAI;
let account: FakeOpenAI;
let reloadedAccount: FakeOpenAI;
let gateway: TestGateway;
let grpc: GrpcChatClient;

/** A models file whose `account` provider is `fake` (with its key), beside a Bedrock account that is never called. */
function writeModelsFile(fake: FakeOpenAI) {
  const path = join(dir, "models.yaml");
  writeFileSync(
    path,
    `providers:
  account:
    type: openai
    base_url: ${fake.baseURL}
    api_key: ${fake.apiKey}
  bedrock-other:
    type: bedrock
    region: eu-west-1
    access_key_id: AKIDOTHERACCOUNTTEST
    secret_access_key: ${FILE_SECRET}
models:
  shared:
    targets: [account/gpt-4o-mini]
`,
  );
  return readModelsFile(path, () => undefined);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "open-bedrock-secrets-"));
  upstream = new FakeOpenAI();
  await upstream.start();
  account = new FakeOpenAI(FILE_KEY);
  reloadedAccount = new FakeOpenAI(RELOADED_KEY);
  await Promise.all([account.start(), reloadedAccount.start()]);
  gateway = await startGateway({
    openaiBaseURL: upstream.baseURL,
    config: {
      modelsFile: writeModelsFile(account),
      // Configured, never called: its secrets are as secret as any.
      bedrock: {
        region: "us-east-1",
        httpClient: "undici",
        credentialSource: "static AWS keys",
        credentials: { accessKeyId: "AKIDSHORTSECRETTEST", secretAccessKey: SHORT_SECRET, sessionToken: TOKEN },
        bearerToken: ODD_SECRET,
        imageFetch: DEFAULT_IMAGE_FETCH,
      },
    },
  });
  grpc = createGrpcChatClient(gateway.url, gateway.key);
});

afterAll(async () => {
  grpc?.close();
  await gateway?.close(0);
  await upstream?.close();
  await account?.close();
  await reloadedAccount?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ECHO = `rejected ${SHORT_SECRET} (with ${TOKEN}); password ${ODD_SECRET}, encoded ${encodeURIComponent(ODD_SECRET)}, in a word: ${SHORT_SECRET}s`;

function echoingError() {
  upstream.enqueue({
    kind: "error",
    status: 400,
    body: { error: { message: ECHO, type: "invalid_request_error", param: null, code: null } },
  });
}

const hello = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };

function expectScrubbed(text: string) {
  expect(text).toContain("rejected *** (with ***); password ***, encoded ***, in a word: s3cs");
  expect(text).not.toMatch(new RegExp(`\\b(${SHORT_SECRET}|${TOKEN})\\b`));
  expect(text).not.toContain(ODD_SECRET);
  expect(text).not.toContain(encodeURIComponent(ODD_SECRET));
}

describe("secrets of any length", () => {
  it("are removed from an OpenAI API error and its log line", async () => {
    echoingError();
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify(hello),
    });
    expect(response.status).toBe(400);
    expectScrubbed(await response.text());
    expectScrubbed(gateway.logText());
  });

  it("are removed from a gRPC status and a Connect error", async () => {
    echoingError();
    const error = await grpc.create(hello).then(
      () => undefined,
      (failure: { code: number; details: string }) => failure,
    );
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expectScrubbed(error?.details ?? "");
    echoingError();
    const connect = await fetch(`${gateway.url}/openbedrock.v1.ChatService/CreateChatCompletion`, {
      method: "POST",
      headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify(hello),
    });
    expectScrubbed(await connect.text());
    expectScrubbed(gateway.logText());
  });
});

describe("the models file's secrets, however short", () => {
  async function askShared(fake: FakeOpenAI, echo: string) {
    fake.enqueue({
      kind: "error",
      status: 400,
      body: { error: { message: echo, type: "invalid_request_error", param: null, code: null } },
    });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gateway.key}`, "content-type": "application/json" },
      body: JSON.stringify({ ...hello, model: "shared" }),
    });
    expect(response.status).toBe(400);
    return response.text();
  }

  it("are removed from an answer and the log, and so are those of a reloaded file", async () => {
    const first = await askShared(account, `rejected ${FILE_KEY} and ${FILE_SECRET}`);
    expect(first).toContain("rejected *** and ***");
    gateway.reloadModels(writeModelsFile(reloadedAccount));
    const reloaded = await askShared(reloadedAccount, `rejected ${FILE_KEY} and ${FILE_SECRET}; now ${RELOADED_KEY}`);
    expect(reloaded).toContain("rejected *** and ***; now ***");
    for (const secret of [FILE_KEY, FILE_SECRET, RELOADED_KEY]) {
      expect(reloaded).not.toMatch(new RegExp(`\\b${secret}\\b`));
      expect(gateway.logText()).not.toMatch(new RegExp(`\\b${secret}\\b`));
    }
  });
});
