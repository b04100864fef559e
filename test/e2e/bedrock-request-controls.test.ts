/**
 * What a request asks of Bedrock beyond the conversation: guardrails (the
 * server's BEDROCK_GUARDRAIL_* and a request's `guardrail_config`, on
 * InvokeModel's headers and in Converse's body; an intervention ends as
 * `content_filter` with the trace when asked), `service_tier`,
 * `performance_config`, `user` / `metadata`; tool calls with no arguments;
 * and every OpenAI field Bedrock cannot honour, refused with a 400 that
 * names it (neutral values pass).
 */
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { guardrailTrace } from "../fakes/fake-bedrock-features.js";
import { BEDROCK_HTTP_CLIENTS, rejection, useBedrockStack } from "../fakes/fake-bedrock-stack.js";

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const SONNET_4_5 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const NOVA = "amazon.nova-lite-v1:0";
const LLAMA = "meta.llama3-8b-instruct-v1:0";
const TITAN = "amazon.titan-text-express-v1";
const GUARDRAIL = { identifier: "gr0fake0pii", version: "1", trace: "enabled" } as const;
const BLOCKED = "Sorry, the model cannot answer this question.";
const TRACE = guardrailTrace({ identifier: GUARDRAIL.identifier, version: "1", trace: true });

const hi = (model: string, extra: Record<string, unknown> = {}) =>
  ({ model, messages: [{ role: "user", content: "hi" }], ...extra }) as OpenAI.ChatCompletionCreateParamsNonStreaming;

async function finishOfStream(
  stack: ReturnType<typeof useBedrockStack>,
  request: OpenAI.ChatCompletionCreateParamsNonStreaming,
) {
  const stream = await stack.openai.chat.completions.create({ ...request, stream: true });
  let text = "";
  let finish: OpenAI.ChatCompletionChunk | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? "";
    if (chunk.choices[0]?.finish_reason) finish = chunk;
  }
  return { text, finish: finish as (OpenAI.ChatCompletionChunk & Record<string, unknown>) | undefined };
}

describe.each(BEDROCK_HTTP_CLIENTS)("Guardrails (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient, guardrail: GUARDRAIL } });

  it("applies the server's guardrail to Claude in InvokeModel's headers", async () => {
    const answer = await stack.openai.chat.completions.create(hi(CLAUDE));
    const headers = stack.bedrock.last().headers;
    expect(headers["x-amzn-bedrock-guardrailidentifier"]).toBe("gr0fake0pii");
    expect(headers["x-amzn-bedrock-guardrailversion"]).toBe("1");
    expect(headers["x-amzn-bedrock-trace"]).toBe("ENABLED");
    expect(answer.choices[0]?.finish_reason).toBe("stop");
    expect((answer as unknown as Record<string, unknown>).guardrail_trace).toBeUndefined();
  });

  it("ends a blocked Claude answer as content_filter with the trace, unary and streamed", async () => {
    stack.bedrock.enqueue({ kind: "reply", guardrailIntervenes: true }, { kind: "reply", guardrailIntervenes: true });
    const answer = await stack.openai.chat.completions.create(hi(CLAUDE));
    expect(answer.choices[0]?.finish_reason).toBe("content_filter");
    expect(answer.choices[0]?.message.content).toBe(BLOCKED);
    expect((answer as unknown as Record<string, unknown>).guardrail_trace).toEqual(TRACE);
    const { text, finish } = await finishOfStream(stack, hi(CLAUDE));
    expect(text).toBe(BLOCKED);
    expect(finish?.choices[0]?.finish_reason).toBe("content_filter");
    expect(finish?.guardrail_trace).toEqual(TRACE);
  });

  it("sends Converse's guardrailConfig and reads its verdict and trace, unary and streamed", async () => {
    stack.bedrock.enqueue({ kind: "reply", guardrailIntervenes: true }, { kind: "reply", guardrailIntervenes: true });
    const answer = await stack.openai.chat.completions.create(hi(NOVA));
    expect(stack.bedrock.last().body.guardrailConfig).toEqual({
      guardrailIdentifier: "gr0fake0pii",
      guardrailVersion: "1",
      trace: "enabled",
    });
    expect(answer.choices[0]?.finish_reason).toBe("content_filter");
    expect((answer as unknown as Record<string, unknown>).guardrail_trace).toEqual(TRACE);
    const { finish } = await finishOfStream(stack, hi(NOVA));
    expect(finish?.choices[0]?.finish_reason).toBe("content_filter");
    expect(finish?.guardrail_trace).toEqual(TRACE);
  });

  it("takes another guardrail for one request, never none", async () => {
    await stack.openai.chat.completions.create(
      hi(NOVA, {
        guardrail_config: { guardrail_identifier: "gr0fake0topics", guardrail_version: "DRAFT", trace: "disabled" },
      }),
    );
    expect(stack.bedrock.last().body.guardrailConfig).toEqual({
      guardrailIdentifier: "gr0fake0topics",
      guardrailVersion: "DRAFT",
      trace: "disabled",
    });
    await stack.openai.chat.completions.create(hi(CLAUDE, { guardrail_config: { trace: "disabled" } }));
    expect(stack.bedrock.last().headers["x-amzn-bedrock-guardrailidentifier"]).toBe("gr0fake0pii");
    expect(stack.bedrock.last().headers["x-amzn-bedrock-trace"]).toBe("DISABLED");
  });

  it("answers the guardrail trace through gRPC in the answer's extensions", async () => {
    stack.bedrock.enqueue({ kind: "reply", guardrailIntervenes: true });
    const answer = await stack.grpc.create({ model: NOVA, messages: [{ role: "user", content: "hi" }] });
    expect(answer.choices[0].finish_reason).toBe("content_filter");
    expect(Object.keys(answer.extensions.fields)).toEqual(["guardrail_trace"]);
  });
});

describe.each(BEDROCK_HTTP_CLIENTS)("Request controls (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  it("sends service_tier and performance_config to Converse in its body, and answers the tier that served", async () => {
    const answer = await stack.openai.chat.completions.create(
      hi(NOVA, { service_tier: "flex", performance_config: { latency: "optimized" } }),
    );
    expect(stack.bedrock.last().body).toMatchObject({
      serviceTier: { type: "flex" },
      performanceConfig: { latency: "optimized" },
    });
    expect(answer.service_tier).toBe("flex");
    const { finish } = await finishOfStream(stack, hi(NOVA, { service_tier: "priority" }));
    expect(finish?.service_tier).toBe("priority");
  });

  it("sends them to Claude in InvokeModel's headers; auto is Bedrock's own choice", async () => {
    await stack.openai.chat.completions.create(
      hi(CLAUDE, { service_tier: "priority", performance_config: { latency: "optimized" } }),
    );
    const headers = stack.bedrock.last().headers;
    expect(headers["x-amzn-bedrock-service-tier"]).toBe("priority");
    expect(headers["x-amzn-bedrock-performanceconfig-latency"]).toBe("optimized");
    await stack.openai.chat.completions.create(hi(CLAUDE, { service_tier: "auto" }));
    expect(stack.bedrock.last().headers["x-amzn-bedrock-service-tier"]).toBeUndefined();
  });

  it("sends user as Claude's metadata.user_id, and user and metadata as Converse's request metadata", async () => {
    await stack.openai.chat.completions.create(hi(CLAUDE, { user: "user-42" }));
    expect(stack.bedrock.last().body.metadata).toEqual({ user_id: "user-42" });
    await stack.openai.chat.completions.create(
      hi(NOVA, { user: "user-42", metadata: { team: "search" }, safety_identifier: "hash-9" }),
    );
    expect(stack.bedrock.last().body.requestMetadata).toEqual({
      user: "user-42",
      team: "search",
      safety_identifier: "hash-9",
    });
  });

  it("answers a tool call with no arguments as {} from Claude and Converse, unary and streamed", async () => {
    const tools = [{ type: "function" as const, function: { name: "now" } }];
    for (const model of [CLAUDE, NOVA]) {
      stack.bedrock.enqueue(
        { kind: "reply", toolUses: [{ name: "now", input: {} }] },
        { kind: "reply", toolUses: [{ name: "now", input: {} }] },
      );
      const answer = await stack.openai.chat.completions.create(hi(model, { tools }));
      expect(answer.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: "now", arguments: "{}" } });
      const final = await stack.openai.chat.completions
        .stream({ ...hi(model, { tools }), stream: true })
        .finalChatCompletion();
      const call = final.choices[0]?.message.tool_calls?.[0];
      expect(call?.type === "function" ? call.function.arguments : undefined).toBe("{}");
    }
  });

  it("passes the neutral values clients send by default", async () => {
    await stack.openai.chat.completions.create(
      hi(NOVA, {
        n: 1,
        presence_penalty: 0,
        frequency_penalty: 0,
        logprobs: false,
        top_logprobs: 0,
        logit_bias: {},
        store: false,
        modalities: ["text"],
        stream_options: undefined,
        parallel_tool_calls: undefined,
      }),
    );
    expect(stack.bedrock.requests).toHaveLength(1);
  });

  const toolCall = { id: "c1", type: "custom", custom: { name: "g", input: "x" } };
  it.each<[string, OpenAI.ChatCompletionCreateParamsNonStreaming, string]>([
    ["seed", hi(NOVA, { seed: 7 }), "seed"],
    ["n above 1", hi(NOVA, { n: 2 }), "n"],
    ["a presence penalty", hi(CLAUDE, { presence_penalty: 0.5 }), "presence_penalty"],
    ["a frequency penalty", hi(CLAUDE, { frequency_penalty: 0.5 }), "frequency_penalty"],
    ["a temperature above 1", hi(NOVA, { temperature: 1.5 }), "temperature"],
    ["temperature with top_p on Claude Sonnet 4.5", hi(SONNET_4_5, { temperature: 0.5, top_p: 0.9 }), "top_p"],
    ["top_k on a model without", hi(LLAMA, { top_k: 5 }), "top_k"],
    ["log probabilities", hi(NOVA, { logprobs: true }), "logprobs"],
    ["top log probabilities", hi(NOVA, { top_logprobs: 2 }), "top_logprobs"],
    ["a logit bias", hi(CLAUDE, { logit_bias: { "42": 10 } }), "logit_bias"],
    ["store", hi(NOVA, { store: true }), "store"],
    ["a prediction", hi(NOVA, { prediction: { type: "content", content: "x" } }), "prediction"],
    [
      "audio output",
      hi(NOVA, { modalities: ["text", "audio"], audio: { voice: "alloy", format: "wav" } }),
      "modalities",
    ],
    ["web search", hi(NOVA, { web_search_options: {} as never, verbosity: "low" }), "verbosity"],
    ["a prompt cache key", hi(CLAUDE, { prompt_cache_key: "k" }), "prompt_cache_key"],
    ["legacy functions", hi(NOVA, { functions: [{ name: "f" }] }), "functions"],
    ["a field this server does not know", hi(NOVA, { a_field_from_next_year: 1 }), "a_field_from_next_year"],
    [
      "stream obfuscation",
      hi(NOVA, { stream_options: { include_obfuscation: true } }),
      "stream_options.include_obfuscation",
    ],
    ["an OpenAI service tier Bedrock has not", hi(NOVA, { service_tier: "scale" }), "service_tier"],
    ["a latency Bedrock has not", hi(NOVA, { performance_config: { latency: "fast" } }), "performance_config.latency"],
    [
      "a guardrail without an identifier, none being configured",
      hi(NOVA, { guardrail_config: { guardrail_version: "1" } }),
      "guardrail_config.guardrail_identifier",
    ],
    ["Claude's anthropic_beta on another model", hi(NOVA, { anthropic_beta: ["x"] }), "anthropic_beta"],
    ["metadata on Claude, which has only user_id", hi(CLAUDE, { metadata: { team: "a" } }), "metadata"],
    ["a user Bedrock's request metadata cannot hold", hi(NOVA, { user: "ann <ann@example.com>" }), "user"],
    ["a user on Titan", hi(TITAN, { user: "u1" }), "user"],
    [
      "an image at low detail",
      {
        model: NOVA,
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } }],
          },
        ],
      },
      "messages.[0].content.[0].image_url.detail",
    ],
    [
      "an audio part",
      {
        model: NOVA,
        messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "AA==", format: "wav" } }] }],
      },
      "messages.[0].content.[0].type",
    ],
    [
      "a message field Bedrock has no place for",
      {
        model: NOVA,
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b", audio: { id: "audio_1" } },
          { role: "user", content: "c" },
        ],
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
      "messages.[1].audio",
    ],
    ["a tool of another type", hi(NOVA, { tools: [{ type: "custom", custom: { name: "g" } }] }), "tools.[0].type"],
    [
      "one tool call per turn on Converse",
      hi(NOVA, { tools: [{ type: "function", function: { name: "f" } }], parallel_tool_calls: false }),
      "parallel_tool_calls",
    ],
    [
      "a participant's name",
      { model: CLAUDE, messages: [{ role: "user", content: "hi", name: "ann" }] },
      "messages.[0].name",
    ],
    [
      "a legacy function message",
      {
        model: CLAUDE,
        messages: [
          { role: "user", content: "hi" },
          { role: "function", name: "f", content: "42" },
        ],
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
      "messages.[1].role",
    ],
    [
      "a tool call of another type",
      {
        model: NOVA,
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", tool_calls: [toolCall] },
          { role: "tool", tool_call_id: "c1", content: "ok" },
        ],
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
      "messages.[1].tool_calls.[0].type",
    ],
  ])("refuses %s with a 400 naming it", async (_name, request, param) => {
    const error = await rejection<InstanceType<typeof OpenAI.APIError>>(stack.openai.chat.completions.create(request));
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(stack.bedrock.requests).toHaveLength(0);
  });
});
