import { create, type JsonObject } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema, type Usage, UsageSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import type { CallObserver, ChatObserver } from "../../src/core/chat-observer.js";
import { InvalidRequestError, RateLimitError } from "../../src/core/errors.js";
import { type MessagesRequest, MessagesService } from "../../src/core/messages-service.js";
import type { MessagesCall, MessagesCapability } from "../../src/core/provider.js";
import { routesOf, ScriptedProvider } from "../helpers/scripted-provider.js";

/** A provider whose `claude-*` models take Messages bodies as they are, answering what each test writes. */
class BodyTakingProvider extends ScriptedProvider implements MessagesCapability {
  readonly bodies: { body: JsonObject; call: MessagesCall }[] = [];
  failWith: Error | undefined;

  takesMessagesBody(modelId: string): boolean {
    return modelId.startsWith("claude-");
  }

  async createMessage(body: JsonObject, call: MessagesCall): Promise<JsonObject> {
    this.bodies.push({ body, call });
    if (this.failWith) throw this.failWith;
    call.usage(create(UsageSchema, { promptTokens: 7, completionTokens: 3, totalTokens: 10 }));
    return { type: "message", content: [{ type: "text", text: `from ${call.modelId}` }] };
  }

  async *streamMessage(body: JsonObject, call: MessagesCall): AsyncGenerator<JsonObject> {
    this.bodies.push({ body, call });
    if (this.failWith) throw this.failWith;
    yield { type: "message_start" };
    yield { type: "message_stop" };
  }

  async countMessageTokens(body: JsonObject, call: MessagesCall): Promise<number | undefined> {
    this.bodies.push({ body, call });
    return call.modelId === "claude-uncountable" ? undefined : 42;
  }
}

/** Records what the service tells the observer. */
function recordingObserver() {
  const calls: { operation: string; routed: string[]; usage: Usage[]; failed?: string }[] = [];
  const observer: ChatObserver = {
    begin(_protocol, operation) {
      const call: (typeof calls)[number] = { operation, routed: [], usage: [] };
      calls.push(call);
      const handle: CallObserver = {
        routed: (provider, model) => call.routed.push(`${provider}/${model}`),
        firstChunk() {},
        usage: (usage) => call.usage.push(usage),
        attempted() {},
        fellBack() {},
        end(_seconds, error) {
          if (error) call.failed = error.name;
        },
      };
      return handle;
    },
    upstreamFailed() {},
    retried() {},
    cooledDown() {},
  };
  return { observer, calls };
}

function setup() {
  const bedrock = new BodyTakingProvider("bedrock");
  const openai = new ScriptedProvider("openai");
  const routes = routesOf([bedrock, openai]);
  const { observer, calls } = recordingObserver();
  const service = new MessagesService({
    routes: () => routes,
    names: (name) => (name === "claude-sonnet-4-5" ? "bedrock/claude-sonnet-4-5-profile" : undefined),
    observer,
    maxMessages: 3,
  });
  return { bedrock, openai, service, calls };
}

const context = { protocol: "anthropic_http" as const, signal: new AbortController().signal };

function messagesRequest(model: string, overrides: Partial<MessagesRequest> = {}): MessagesRequest {
  const body: JsonObject = { model, max_tokens: 5, messages: [{ role: "user", content: "hi" }] };
  return {
    body,
    model,
    betas: ["interleaved-thinking-2025-05-14"],
    canonical: () =>
      create(ChatCompletionRequestSchema, { model, messages: [{ role: "user", content: "hi" }], maxTokens: 5 }),
    estimateTokens: () => 11,
    ...overrides,
  };
}

describe("MessagesService", () => {
  it("gives a model that takes the body the body as it is, never reading the canonical request", async () => {
    const { bedrock, openai, service, calls } = setup();
    const request = messagesRequest("claude-sonnet-4-5", {
      canonical: () => {
        throw new Error("the canonical request is not needed");
      },
    });
    const answer = await service.createMessage(request, context);
    expect(answer).toEqual({
      native: { type: "message", content: [{ type: "text", text: "from claude-sonnet-4-5-profile" }] },
    });
    expect(bedrock.bodies[0]?.body).toBe(request.body);
    expect(bedrock.bodies[0]?.call.betas).toEqual(["interleaved-thinking-2025-05-14"]);
    expect(openai.calls).toHaveLength(0);
    expect(calls).toEqual([
      {
        operation: "chat",
        routed: ["bedrock/claude-sonnet-4-5-profile"],
        usage: [expect.objectContaining({ promptTokens: 7 })],
      },
    ]);
  });

  it("gives every other model the canonical request, and counts its usage", async () => {
    const { openai, service, calls } = setup();
    const answer = await service.createMessage(messagesRequest("gpt-4o"), context);
    expect("canonical" in answer && answer.canonical.choices[0]?.message?.content).toBe("answered by openai");
    expect(openai.calls[0]?.call.modelId).toBe("gpt-4o");
    expect(calls[0]?.usage[0]?.promptTokens).toBe(3);
  });

  it("checks the canonical request as every chat request is checked", async () => {
    const { service } = setup();
    const empty = messagesRequest("gpt-4o", {
      canonical: () => create(ChatCompletionRequestSchema, { model: "gpt-4o", messages: [] }),
    });
    await expect(service.createMessage(empty, context)).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("holds MAX_MESSAGES for bodies that go as they are", async () => {
    const { bedrock, service, calls } = setup();
    const long = messagesRequest("claude-sonnet-4-5");
    long.body.messages = Array.from({ length: 4 }, () => ({ role: "user", content: "hi" }));
    await expect(service.createMessage(long, context)).rejects.toMatchObject({ code: "array_above_max_length" });
    expect(bedrock.bodies).toHaveLength(0);
    expect(calls[0]?.failed).toBe("InvalidRequestError");
  });

  it("reports the provider's failure as the caller's", async () => {
    const { bedrock, service, calls } = setup();
    bedrock.failWith = new RateLimitError("slow down");
    await expect(service.createMessage(messagesRequest("claude-sonnet-4-5"), context)).rejects.toBeInstanceOf(
      RateLimitError,
    );
    expect(calls[0]?.failed).toBe("RateLimitError");
  });

  it("opens a stream of the provider's own events, or of canonical chunks", async () => {
    const { service } = setup();
    const native = await service.streamMessage(messagesRequest("claude-sonnet-4-5"), context);
    if (!("native" in native)) throw new Error("expected the provider's own events");
    const events: JsonObject[] = [];
    for await (const event of native.native) events.push(event);
    expect(events).toEqual([{ type: "message_start" }, { type: "message_stop" }]);

    const canonical = await service.streamMessage(messagesRequest("gpt-4o"), context);
    expect("canonical" in canonical).toBe(true);
  });

  it("throws a stream's failure to start before anything is sent", async () => {
    const { bedrock, service } = setup();
    bedrock.failWith = new RateLimitError("slow down");
    await expect(service.streamMessage(messagesRequest("claude-sonnet-4-5"), context)).rejects.toBeInstanceOf(
      RateLimitError,
    );
  });

  it("counts tokens upstream where it can, and estimates elsewhere", async () => {
    const { bedrock, service, calls } = setup();
    expect(await service.countTokens(messagesRequest("claude-sonnet-4-5"), context)).toBe(42);
    expect(await service.countTokens(messagesRequest("bedrock/claude-uncountable"), context)).toBe(11);
    expect(await service.countTokens(messagesRequest("gpt-4o"), context)).toBe(11);
    expect(bedrock.bodies.map(({ call }) => call.modelId)).toEqual(["claude-sonnet-4-5-profile", "claude-uncountable"]);
    expect(calls.map((call) => call.operation)).toEqual(["count_tokens", "count_tokens", "count_tokens"]);
  });
});
