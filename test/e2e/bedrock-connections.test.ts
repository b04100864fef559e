import { afterEach, describe, expect, it } from "vitest";
import { type BedrockStack, startBedrockStack } from "../fakes/fake-bedrock-stack.js";

const calls = [
  { model: "anthropic.claude-3-5-sonnet-20240620-v1:0", stream: false },
  { model: "amazon.titan-text-express-v1", stream: true },
  { model: "amazon.nova-lite-v1:0", stream: false },
  { model: "amazon.nova-lite-v1:0", stream: true },
];

/** Calls every family one after the other, unary and streamed, over both protocols: two requests a call. */
async function callEachInTurn(stack: BedrockStack): Promise<void> {
  for (const { model, stream } of calls) {
    const messages = [{ role: "user" as const, content: "hi" }];
    if (stream) {
      for await (const _chunk of await stack.openai.chat.completions.create({ model, messages, stream })) {
        // read to the end
      }
      await stack.grpc.collect({ model, messages });
    } else {
      await stack.openai.chat.completions.create({ model, messages });
      await stack.grpc.create({ model, messages });
    }
  }
}

describe("connections to Bedrock Runtime", () => {
  let stack: BedrockStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it("the undici exchange keeps one connection and sends every call over it, whatever the family or protocol", async () => {
    stack = await startBedrockStack({ bedrock: { httpClient: "undici" } });
    await callEachInTurn(stack);
    await callEachInTurn(stack);
    expect(stack.bedrock.requests).toHaveLength(calls.length * 4);
    expect(stack.bedrock.connectionsOpened).toBe(1);
  });

  // The SDK's Bedrock Runtime client is built with `disableConcurrentStreams`:
  // one HTTP/2 session per request, as docs/bedrock.md says.
  it("the SDK exchange opens a connection for every call, as the SDK's Bedrock Runtime client does", async () => {
    stack = await startBedrockStack({ bedrock: { httpClient: "sdk" } });
    await callEachInTurn(stack);
    expect(stack.bedrock.requests).toHaveLength(calls.length * 2);
    expect(stack.bedrock.connectionsOpened).toBe(calls.length * 2);
  });
});
