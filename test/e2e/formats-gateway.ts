/**
 * The server in front of both fake upstreams (OpenAI and Bedrock Runtime),
 * for the end-to-end tests of request formats and target formats, and a
 * small reader of the SSE bytes it sends.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { FakeBedrock, fakeBedrockConfig } from "../fakes/fake-bedrock.js";
import { FakeOpenAI } from "../fakes/fake-openai.js";
import { startGateway, type TestGateway } from "../helpers/gateway.js";

export interface BothUpstreams {
  openai: FakeOpenAI;
  bedrock: FakeBedrock;
  gateway: TestGateway;
}

/** Registers the hooks of a test file: the fakes and the server start once; the fakes forget between tests. */
export function useBothUpstreams(): BothUpstreams {
  const setup = {} as BothUpstreams;
  beforeAll(async () => {
    setup.openai = new FakeOpenAI();
    setup.bedrock = new FakeBedrock();
    await Promise.all([setup.openai.start(), setup.bedrock.start()]);
    setup.gateway = await startGateway({
      openaiBaseURL: setup.openai.baseURL,
      config: { bedrock: fakeBedrockConfig(setup.bedrock.url) },
    });
  });
  afterAll(async () => {
    await setup.gateway?.close(100);
    await Promise.all([setup.openai?.close(), setup.bedrock?.close()]);
  });
  beforeEach(() => {
    setup.openai.reset();
    setup.bedrock.reset();
  });
  return setup;
}

/** POSTs a body to the chat route; `query` is the query string without `?`. */
export function postChat(setup: BothUpstreams, body: unknown, query = ""): Promise<Response> {
  return fetch(`${setup.gateway.url}/v1/chat/completions${query ? `?${query}` : ""}`, {
    method: "POST",
    headers: { authorization: `Bearer ${setup.gateway.key}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
}

export interface SseMessage {
  /** The `event:` name, when the event has one. */
  event?: string;
  data: string;
}

/**
 * Reads SSE bytes as the spec frames them: events end with a blank line,
 * `event:` names one, `data:` lines carry its data. Anything else fails the
 * test, so a framing mistake cannot pass unseen.
 */
export function readSse(text: string): SseMessage[] {
  if (text !== "" && !text.endsWith("\n\n")) throw new Error(`The stream does not end with a blank line: ${text}`);
  return text
    .split("\n\n")
    .filter((block) => block !== "")
    .map((block) => {
      const message: SseMessage = { data: "" };
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) message.event = line.slice("event: ".length);
        else if (line.startsWith("data: ")) data.push(line.slice("data: ".length));
        else throw new Error(`Unexpected SSE line: ${line}`);
      }
      message.data = data.join("\n");
      return message;
    });
}

/** The JSON data of each event, with its name. */
export function sseEvents(text: string): { event?: string; data: Record<string, unknown> }[] {
  return readSse(text).map(({ event, data }) => ({
    ...(event === undefined ? {} : { event }),
    data: JSON.parse(data) as Record<string, unknown>,
  }));
}
