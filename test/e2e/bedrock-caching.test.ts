/**
 * Prompt caching on Bedrock: `cache_control` on parts, system parts and
 * tools as Claude's `cache_control` and Converse's `cachePoint`, within
 * Bedrock's rules (refused before the call with the mark's path), the
 * counts coming back as OpenAI counts them (cache reads in
 * `prompt_tokens_details.cached_tokens`, writes in `cache_write_tokens`,
 * both inside `prompt_tokens`) unary and streamed, the metrics counting
 * them, and BEDROCK_PROMPT_CACHE=auto placing breakpoints itself.
 */
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { BEDROCK_HTTP_CLIENTS, rejection, useBedrockStack } from "../fakes/fake-bedrock-stack.js";
import { parsePrometheusText, sampleSum } from "../helpers/prometheus-text.js";

const SONNET_4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
const SONNET_4_5 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const CLAUDE_3_5 = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const NOVA = "amazon.nova-lite-v1:0";

const LONG_RULES = "You answer questions about the house rules. ".repeat(40);
const ephemeral = { type: "ephemeral" } as const;

/** A cached system prompt and a question: the request every test of a prefix sends. */
function cachedAsk(model: string, question: string, extra: Record<string, unknown> = {}) {
  return {
    model,
    messages: [
      { role: "system", content: [{ type: "text", text: LONG_RULES, cache_control: ephemeral }] },
      { role: "user", content: question },
    ],
    ...extra,
  } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
}

type Details = { cached_tokens?: number; cache_write_tokens?: number };

describe.each(BEDROCK_HTTP_CLIENTS)("Prompt caching (Bedrock through %s)", (httpClient) => {
  const stack = useBedrockStack({ bedrock: { httpClient } });

  it("marks Claude's blocks and tools with cache_control, and counts the write, then the read", async () => {
    const tool = {
      type: "function",
      function: { name: "lookup", parameters: { type: "object", properties: {} } },
      cache_control: { type: "ephemeral", ttl: "5m" },
    };
    const first = await stack.openai.chat.completions.create(
      cachedAsk(SONNET_4, "Can I bring a dog?", { tools: [tool] }),
    );
    const body = stack.bedrock.last().body;
    expect(body.system).toEqual([{ type: "text", text: LONG_RULES, cache_control: { type: "ephemeral" } }]);
    expect(body.tools).toEqual([
      {
        name: "lookup",
        input_schema: { type: "object", properties: {} },
        cache_control: { type: "ephemeral", ttl: "5m" },
      },
    ]);
    const written = first.usage?.prompt_tokens_details as Details;
    expect(written.cached_tokens).toBe(0);
    expect(written.cache_write_tokens).toBeGreaterThan(100);

    const second = await stack.openai.chat.completions.create(cachedAsk(SONNET_4, "And a cat?", { tools: [tool] }));
    const read = second.usage?.prompt_tokens_details as Details;
    expect(read.cached_tokens).toBe(written.cache_write_tokens);
    expect(read.cache_write_tokens).toBe(0);
    // Prompt tokens include what was read from the cache, as OpenAI counts them.
    expect(second.usage?.prompt_tokens).toBeGreaterThan(read.cached_tokens ?? 0);
    expect(second.usage?.total_tokens).toBe(
      (second.usage?.prompt_tokens ?? 0) + (second.usage?.completion_tokens ?? 0),
    );
  });

  it("marks Converse content with a cachePoint after the marked block, and counts the cache in the stream's usage", async () => {
    const ask = (question: string) =>
      stack.openai.chat.completions.create({
        model: NOVA,
        messages: [
          { role: "system", content: [{ type: "text", text: LONG_RULES, cache_control: ephemeral }] },
          { role: "user", content: question },
        ] as OpenAI.ChatCompletionMessageParam[],
        stream: true,
        stream_options: { include_usage: true },
      });
    const usages: (OpenAI.CompletionUsage | null | undefined)[] = [];
    for (const question of ["first?", "second?"]) {
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of await ask(question)) usage = chunk.usage ?? usage;
      usages.push(usage);
    }
    expect(stack.bedrock.last().body.system).toEqual([{ text: LONG_RULES }, { cachePoint: { type: "default" } }]);
    const [write, read] = usages.map((usage) => usage?.prompt_tokens_details as Details);
    expect(write?.cache_write_tokens).toBeGreaterThan(100);
    expect(read?.cached_tokens).toBe(write?.cache_write_tokens);
  });

  it("sends a one-hour TTL where the model has it", async () => {
    await stack.openai.chat.completions.create({
      model: SONNET_4_5,
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: LONG_RULES, cache_control: { type: "ephemeral", ttl: "1h" } }],
        },
      ] as unknown as OpenAI.ChatCompletionMessageParam[],
    });
    const turn = (stack.bedrock.last().body.messages as { content: unknown[] }[])[0];
    expect(turn?.content).toEqual([
      { type: "text", text: LONG_RULES, cache_control: { type: "ephemeral", ttl: "1h" } },
    ]);
  });

  it("counts the cache reads and writes in the metrics", async () => {
    await stack.openai.chat.completions.create(cachedAsk(SONNET_4, "metrics one"));
    await stack.openai.chat.completions.create(cachedAsk(SONNET_4, "metrics two"));
    const scrape = await fetch(`${stack.gateway.url}/metrics`, {
      headers: { authorization: `Bearer ${stack.gateway.key}` },
    });
    const exposition = parsePrometheusText(await scrape.text());
    const labels = { provider: "bedrock", model: SONNET_4 };
    expect(sampleSum(exposition, "open_bedrock_cache_write_tokens_total", labels)).toBeGreaterThan(0);
    expect(sampleSum(exposition, "open_bedrock_cache_read_tokens_total", labels)).toBeGreaterThan(0);
  });

  describe("refused before the call, naming the mark", () => {
    const part = (cache_control: unknown) => ({ type: "text", text: "x", cache_control });
    it.each<[string, string, unknown[], string]>([
      [
        "a fifth breakpoint",
        SONNET_4,
        [{ role: "user", content: [1, 2, 3, 4, 5].map(() => part(ephemeral)) }],
        "messages.[0].content.[4].cache_control",
      ],
      [
        "a one-hour TTL after a five-minute one",
        SONNET_4_5,
        [
          { role: "system", content: [part(ephemeral)] },
          { role: "user", content: [part({ type: "ephemeral", ttl: "1h" })] },
        ],
        "messages.[1].content.[0].cache_control.ttl",
      ],
      [
        "a one-hour TTL on a model whose cache lives five minutes",
        SONNET_4,
        [{ role: "user", content: [part({ type: "ephemeral", ttl: "1h" })] }],
        "messages.[0].content.[0].cache_control.ttl",
      ],
      [
        "a TTL Bedrock does not have",
        SONNET_4,
        [{ role: "user", content: [part({ type: "ephemeral", ttl: "1d" })] }],
        "messages.[0].content.[0].cache_control.ttl",
      ],
      [
        "a type other than ephemeral",
        SONNET_4,
        [{ role: "user", content: [part({ type: "persistent" })] }],
        "messages.[0].content.[0].cache_control.type",
      ],
      [
        "a model that does not cache",
        CLAUDE_3_5,
        [{ role: "user", content: [part(ephemeral)] }],
        "messages.[0].content.[0].cache_control",
      ],
      [
        "a Converse model that does not cache",
        "meta.llama3-8b-instruct-v1:0",
        [{ role: "user", content: [part(ephemeral)] }],
        "messages.[0].content.[0].cache_control",
      ],
    ])("%s", async (_name, model, messages, param) => {
      const error = await rejection<InstanceType<typeof OpenAI.APIError>>(
        stack.openai.chat.completions.create({
          model,
          messages,
        } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming),
      );
      expect(error.status).toBe(400);
      expect(error.param).toBe(param);
      expect(stack.bedrock.requests).toHaveLength(0);
    });
  });
});

describe("BEDROCK_PROMPT_CACHE=auto", () => {
  const stack = useBedrockStack({ bedrock: { autoCache: true } });
  const tool = { type: "function" as const, function: { name: "lookup", parameters: { type: "object" } } };

  it("caches up to the end of the tools and of the system prompt when the request marks nothing", async () => {
    await stack.openai.chat.completions.create({
      model: SONNET_4,
      messages: [
        { role: "system", content: LONG_RULES },
        { role: "user", content: "hi" },
      ],
      tools: [tool],
    });
    const body = stack.bedrock.last().body;
    expect(body.system).toEqual([{ type: "text", text: LONG_RULES, cache_control: { type: "ephemeral" } }]);
    expect((body.tools as Record<string, unknown>[])[0]?.cache_control).toEqual({ type: "ephemeral" });
    await stack.openai.chat.completions.create({
      model: NOVA,
      messages: [
        { role: "system", content: LONG_RULES },
        { role: "user", content: "hi" },
      ],
    });
    expect(stack.bedrock.last().body.system).toEqual([{ text: LONG_RULES }, { cachePoint: { type: "default" } }]);
  });

  it("leaves a request that places its own breakpoints as it is, and models that do not cache alone", async () => {
    await stack.openai.chat.completions.create(cachedAsk(SONNET_4, "mine", { tools: [tool] }));
    expect((stack.bedrock.last().body.tools as Record<string, unknown>[])[0]?.cache_control).toBeUndefined();
    await stack.openai.chat.completions.create({
      model: CLAUDE_3_5,
      messages: [
        { role: "system", content: LONG_RULES },
        { role: "user", content: "hi" },
      ],
    });
    expect(stack.bedrock.last().body.system).toBe(LONG_RULES);
  });
});
