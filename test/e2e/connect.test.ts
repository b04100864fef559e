import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ChatService } from "../../gen/openbedrock/v1/chat_pb.js";
import { curl } from "../helpers/curl.js";
import { useOpenAIGateway } from "../helpers/gateway.js";
import { RPC_TRANSPORTS } from "../helpers/rpc-transports.js";

const setup = useOpenAIGateway();

const request = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi connect" }] };

describe.each(RPC_TRANSPORTS)("%s", (_name, makeTransport) => {
  const client = () => createClient(ChatService, makeTransport(setup.gateway.url));
  const auth = () => ({ headers: { authorization: `Bearer ${setup.gateway.key}` } });

  it("answers a unary call", async () => {
    const answer = await client().createChatCompletion(request, auth());
    expect(answer.choices[0]?.message?.content).toBe("You said: hi connect");
    expect(answer.usage?.totalTokens).toBeGreaterThan(0);
  });

  it("streams", async () => {
    let text = "";
    let usage: number | undefined;
    for await (const chunk of client().streamChatCompletion(
      { ...request, streamOptions: { includeUsage: true } },
      auth(),
    )) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage.completionTokens;
    }
    expect(text).toBe("You said: hi connect");
    expect(usage).toBe(4);
  });

  it("refuses a call without a key", async () => {
    const error = await client()
      .createChatCompletion(request)
      .catch((e: unknown) => e);
    expect(ConnectError.from(error).code).toBe(Code.Unauthenticated);
  });

  it("refuses a call with a wrong key", async () => {
    const wrong = { headers: { authorization: "Bearer not-the-key" } };
    const error = await client()
      .createChatCompletion(request, wrong)
      .catch((e: unknown) => e);
    expect(ConnectError.from(error).code).toBe(Code.Unauthenticated);
    const streamed = await (async () => {
      for await (const _chunk of client().streamChatCompletion(request, wrong)) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(ConnectError.from(streamed).code).toBe(Code.Unauthenticated);
    expect(setup.upstream.chatRequests).toHaveLength(0);
  });

  it("answers InvalidArgument for a bad request", async () => {
    const error = await client()
      .createChatCompletion({ model: "gpt-4o-mini", messages: [] }, auth())
      .catch((e: unknown) => e);
    expect(ConnectError.from(error).code).toBe(Code.InvalidArgument);
  });
});

describe("Connect JSON with curl", () => {
  it("answers a unary call in JSON", async () => {
    const result = await curl(`${setup.gateway.url}/openbedrock.v1.ChatService/CreateChatCompletion`, [
      "-H",
      "content-type: application/json",
      "-H",
      `authorization: Bearer ${setup.gateway.key}`,
      "-d",
      JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "json please" }] }),
    ]);
    expect(result.status).toBe(200);
    const body = JSON.parse(result.body);
    expect(body.choices[0].message.content).toBe("You said: json please");
    // OpenAI's names: the proto's snake_case field names.
    expect(body.choices[0].finish_reason).toBe("stop");
    expect(body.usage.total_tokens).toBeGreaterThan(0);
  });

  it("answers 401 with Connect's error JSON", async () => {
    const result = await curl(`${setup.gateway.url}/openbedrock.v1.ChatService/ListModels`, [
      "-H",
      "content-type: application/json",
      "-d",
      "{}",
    ]);
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ code: "unauthenticated" });
  });
});
