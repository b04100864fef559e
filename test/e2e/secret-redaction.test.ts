/**
 * Configured secrets of any length, echoed by an upstream in its error,
 * never reach a caller (OpenAI API, gRPC, Connect) or the log: long ones
 * are removed wherever they appear, short ones wherever they stand alone.
 */
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IMAGE_FETCH } from "../../src/config/load-config.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";
import { createGrpcChatClient, type GrpcChatClient } from "../helpers/grpc-client.js";

const SHORT_SECRET = "s3c";
const ODD_SECRET = "p@ss:w0rd/+";
const TOKEN = "tk";

let upstream: FakeOpenAI;
let gateway: TestGateway;
let grpc: GrpcChatClient;

beforeAll(async () => {
  upstream = new FakeOpenAI();
  await upstream.start();
  gateway = await startGateway({
    openaiBaseURL: upstream.baseURL,
    config: {
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
