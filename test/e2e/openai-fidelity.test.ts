/**
 * OpenAI models lose nothing: every request field reaches OpenAI as the
 * caller sent it (fields this server does not know included) and every
 * answer field comes back, unary and streamed, through the openai SDK and
 * through gRPC (where they travel in the `extensions` Structs).
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { logprobsFor } from "../fakes/fake-openai.js";
import { useOpenAIGateway } from "../helpers/gateway.js";
import { createGrpcChatClient } from "../helpers/grpc-client.js";
import { jsonOfStruct, protoStruct } from "../helpers/proto-struct.js";

/** Fields the canonical request does not map: OpenAI's own, and one from a future version. */
const UNMAPPED = {
  logprobs: true,
  top_logprobs: 2,
  logit_bias: { "50256": -100 },
  service_tier: "flex",
  store: true,
  metadata: { team: "search" },
  prediction: { type: "content", content: "You said" },
  modalities: ["text"],
  verbosity: "low",
  prompt_cache_key: "conversation-42",
  safety_identifier: "user-hash-1",
  a_field_from_next_year: { nested: [1, null, "x"] },
};

/** Passed to OpenAI unchanged, as OpenAI's own structured output. */
const RESPONSE_FORMAT = {
  type: "json_schema",
  json_schema: {
    name: "reply",
    schema: {
      type: "object",
      properties: { text: { type: "string" } },
      required: ["text"],
      additionalProperties: false,
    },
    strict: true,
  },
};

describe.each(["undici", "sdk"] as const)("OpenAI fidelity through %s", (httpClient) => {
  const setup = useOpenAIGateway({ openaiHttpClient: httpClient });
  const client = () => new OpenAI({ apiKey: setup.gateway.key, baseURL: `${setup.gateway.url}/v1`, maxRetries: 0 });

  it("sends every field the caller sent, as sent, and answers every field OpenAI gave", async () => {
    const messages = [
      {
        role: "user",
        content: [
          { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
          { type: "text", text: "hello there" },
        ],
      },
      { role: "assistant", content: "Hi", refusal: null, annotations: [] },
      { role: "user", content: "say it again", name: "ann" },
    ];
    const answer = await client().chat.completions.create({
      model: "gpt-4o-mini",
      messages,
      temperature: 0.3,
      response_format: RESPONSE_FORMAT,
      ...UNMAPPED,
    } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);

    const received = await setup.upstream.nextChatRequest();
    expect(received.body).toStrictEqual({
      model: "gpt-4o-mini",
      messages,
      temperature: 0.3,
      response_format: RESPONSE_FORMAT,
      ...UNMAPPED,
    });

    const choice = answer.choices[0];
    expect(choice?.logprobs?.content).toEqual(logprobsFor("You said: say it again", 2));
    expect(choice?.message).toMatchObject({ content: "You said: say it again", refusal: null, annotations: [] });
    expect(answer.service_tier).toBe("flex");
    expect(answer.system_fingerprint).toBe("fp_fake");
    expect(answer.usage?.completion_tokens_details).toEqual({
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    });
    expect(answer.usage?.prompt_tokens_details).toEqual({ cached_tokens: 0, audio_tokens: 0 });
  });

  it("streams every chunk field back (logprobs, service_tier, obfuscation) and sends the stream options as given", async () => {
    const stream = await client().chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "stream me" }],
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: true },
      logprobs: true,
      top_logprobs: 1,
      service_tier: "priority",
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    const received = await setup.upstream.nextChatRequest();
    expect(received.body?.stream_options).toEqual({ include_usage: true, include_obfuscation: true });
    expect(received.body).toMatchObject({ logprobs: true, top_logprobs: 1, service_tier: "priority" });

    const tokens = chunks.flatMap((chunk) => chunk.choices[0]?.logprobs?.content ?? []);
    expect(tokens).toEqual(logprobsFor("You said: stream me", 1));
    expect(chunks.every((chunk) => chunk.service_tier === "priority")).toBe(true);
    const withChoices = chunks.filter((chunk) => chunk.choices.length > 0);
    expect(
      withChoices.every((chunk) => typeof (chunk as unknown as { obfuscation?: unknown }).obfuscation === "string"),
    ).toBe(true);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "", refusal: null });
    expect(chunks.at(-1)?.usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
  });

  it("carries the fields of gRPC callers in extensions, both ways, unary and streamed", async () => {
    const grpc = createGrpcChatClient(setup.gateway.url, setup.gateway.key);
    try {
      const request = {
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hello over gRPC", extensions: protoStruct({ name_hint: "ann" }) }],
        extensions: protoStruct({ logprobs: true, top_logprobs: 1, service_tier: "flex", store: false }),
      };
      const answer = await grpc.create(request);
      const sent = await setup.upstream.nextChatRequest();
      expect(sent.body).toStrictEqual({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hello over gRPC", name_hint: "ann" }],
        logprobs: true,
        top_logprobs: 1,
        service_tier: "flex",
        store: false,
      });
      expect(jsonOfStruct(answer.extensions)).toEqual({ service_tier: "flex", system_fingerprint: "fp_fake" });
      expect(jsonOfStruct(answer.choices[0].extensions)).toEqual({
        logprobs: { content: logprobsFor("You said: hello over gRPC", 1), refusal: null },
      });
      expect(jsonOfStruct(answer.choices[0].message.extensions)).toEqual({ refusal: null, annotations: [] });
      expect(jsonOfStruct(answer.usage.extensions)).toHaveProperty("completion_tokens_details");

      const chunks = await grpc.collect({ ...request, stream_options: { include_usage: true } });
      const streamed = await setup.upstream.nextChatRequest();
      expect(streamed.body).toMatchObject({
        logprobs: true,
        service_tier: "flex",
        stream_options: { include_usage: true },
      });
      const logprobs = chunks.flatMap(
        (chunk) =>
          (jsonOfStruct(chunk.choices?.[0]?.extensions)?.logprobs as { content?: unknown[] } | null)?.content ?? [],
      );
      expect(logprobs).toEqual(logprobsFor("You said: hello over gRPC", 1));
      expect(jsonOfStruct(chunks[0]?.extensions)).toEqual({ service_tier: "flex", system_fingerprint: "fp_fake" });
    } finally {
      grpc.close();
    }
  });
});
