/**
 * Property tests that start where the server starts: OpenAI JSON as a
 * client sends it, read by the HTTP route's own parser. A request goes
 * OpenAI JSON -> canonical -> Claude body (the Claude provider) -> canonical
 * (the formats layer) -> OpenAI JSON (the OpenAI provider); an answer goes
 * OpenAI JSON (as the OpenAI provider reads it) -> Claude answer (the
 * formats layer) -> canonical (the Claude provider) -> OpenAI JSON (as the
 * HTTP route writes it). What a Claude model can carry must survive.
 */
import fc from "fast-check";
import type { ChatCompletion, ChatCompletionChunk as OpenAIChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { validateChatRequest } from "../../../src/core/validate-request.js";
import { fromAnthropicRequest } from "../../../src/dialects/anthropic-messages/from-anthropic-request.js";
import { toAnthropicResponse } from "../../../src/dialects/anthropic-messages/to-anthropic-response.js";
import { AnthropicStreamEvents } from "../../../src/dialects/anthropic-messages/to-anthropic-stream-events.js";
import { parseChatRequest } from "../../../src/dialects/openai-chat/parse-chat-request.js";
import { chatCompletionChunkJson, chatCompletionJson } from "../../../src/dialects/openai-chat/to-openai-json.js";
import { fromOpenAIChunk, fromOpenAIResponse } from "../../../src/providers/openai/from-openai-response.js";
import { toOpenAIRequest } from "../../../src/providers/openai/to-openai-request.js";
import type { AnthropicMessagesRequest } from "../../../src/wire/anthropic-messages.js";
import { openAIJsonAnswer, openAIJsonRequest } from "../../arbitraries/openai-json.js";
import { providerClaudeBody, providerReadsClaude, providerReadsClaudeStream } from "../provider-bodies.js";

const RUNS = { numRuns: 150 };

type Json = Record<string, unknown>;
interface JsonMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}
interface JsonTool {
  function: { name: string; description?: string; parameters?: unknown };
}

const blank = (text: string) => text.trim() === "";

function texts(content: unknown): string[] {
  return allTexts(content).filter((text) => !blank(text));
}

/** A tool result's text parts are joined into one text, blank as a whole or kept as it is. */
function resultText(content: unknown): string {
  const text = allTexts(content).join("");
  return blank(text) ? "" : text;
}

function allTexts(content: unknown): string[] {
  return typeof content === "string"
    ? [content]
    : Array.isArray(content)
      ? content.flatMap((part: { type: string; text?: string }) => (part.type === "text" ? [part.text ?? ""] : []))
      : [];
}

function images(content: unknown): string[] {
  if (!Array.isArray(content)) return [];
  return content.flatMap((part: { type: string; image_url?: string | { url: string } }) =>
    part.type !== "image_url"
      ? []
      : [typeof part.image_url === "string" ? part.image_url : (part.image_url?.url ?? "")],
  );
}

/**
 * What an OpenAI body says that a Claude model can be told: the texts of each
 * role (blank ones are dropped on the way), images, tool calls and results,
 * tools and the choice among them (none to call when `tool_choice` is none
 * and no tool was used), stop sequences and sampling.
 */
function meaning(body: Json) {
  const messages = body.messages as JsonMessage[];
  const of = (roles: string[]) => messages.filter((message) => roles.includes(message.role));
  const history = messages.some((message) => (message.tool_calls ?? []).length > 0 || message.role === "tool");
  const rawChoice = body.tool_choice as string | { type: string; function?: { name: string } } | undefined;
  const choice = typeof rawChoice === "string" ? { type: rawChoice } : rawChoice;
  const tools = choice?.type === "none" && !history ? [] : ((body.tools as JsonTool[] | undefined) ?? []);
  return {
    system: of(["system", "developer"]).flatMap((message) => texts(message.content)),
    user: of(["user"]).flatMap((message) => texts(message.content)),
    assistant: of(["assistant"]).flatMap((message) => texts(message.content)),
    images: of(["user"]).flatMap((message) => images(message.content)),
    calls: of(["assistant"]).flatMap((message) =>
      (message.tool_calls ?? []).map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)]),
    ),
    results: of(["tool"]).map((message) => [message.tool_call_id, resultText(message.content)]),
    tools: tools.map((tool) => [tool.function.name, tool.function.description ?? "", tool.function.parameters]),
    // With tools, no tool_choice means auto (OpenAI's default and Claude's);
    // Claude on Bedrock has no none, so tools a history needs go unforced.
    choice:
      tools.length === 0
        ? undefined
        : [choice?.type === "none" ? "auto" : (choice?.type ?? "auto"), choice?.function?.name ?? ""],
    oneCallOnly: body.parallel_tool_calls === false && tools.length > 0 && choice?.type !== "none",
    stop: [body.stop ?? []].flat().filter((stop) => stop !== ""),
    sampling: [body.temperature, body.top_p],
  };
}

const tokenLimit = (body: Json) => body.max_completion_tokens ?? body.max_tokens;

/** The Claude body the provider sends, or undefined for a request the server refuses before that. */
async function claudeBodyFor(json: Json): Promise<AnthropicMessagesRequest | undefined> {
  try {
    const { request } = parseChatRequest(json);
    validateChatRequest(request);
    return await providerClaudeBody(request);
  } catch {
    return undefined;
  }
}

interface JsonAnswer {
  text: string;
  calls: unknown[];
  finishReason: string | null;
  usage: unknown;
}

function answerSaid(json: Json): JsonAnswer {
  const choice = (json as unknown as ChatCompletion).choices[0];
  const usage = (json as unknown as ChatCompletion).usage;
  return {
    text: choice?.message.content ?? "",
    calls: (choice?.message.tool_calls ?? []).map((call) =>
      call.type === "function" ? [call.id, call.function.name, JSON.parse(call.function.arguments)] : [],
    ),
    finishReason: choice?.finish_reason ?? null,
    usage: usage && [usage.prompt_tokens, usage.completion_tokens, usage.prompt_tokens_details?.cached_tokens],
  };
}

/** The same, from a stream of `chat.completion.chunk` JSON. */
function streamSaid(chunks: OpenAIChunk[]): JsonAnswer {
  const calls: [string, string, string][] = [];
  let text = "";
  let finishReason: string | null = null;
  let usage: unknown;
  for (const chunk of chunks) {
    const choice = chunk.choices[0];
    text += choice?.delta.content ?? "";
    finishReason = choice?.finish_reason ?? finishReason;
    for (const call of choice?.delta.tool_calls ?? []) {
      calls[call.index] ??= [call.id ?? "", call.function?.name ?? "", ""];
      const seen = calls[call.index];
      if (seen) seen[2] += call.function?.arguments ?? "";
    }
    if (chunk.usage) {
      usage = [
        chunk.usage.prompt_tokens,
        chunk.usage.completion_tokens,
        chunk.usage.prompt_tokens_details?.cached_tokens,
      ];
    }
  }
  return { text, calls: calls.map(([id, name, args]) => [id, name, JSON.parse(args)]), finishReason, usage };
}

/** The chunk stream OpenAI sends for an answer: role, text word by word, each call's arguments in pieces, finish, usage. */
function streamOf(json: Json): OpenAIChunk[] {
  const completion = json as unknown as ChatCompletion;
  const choice = completion.choices[0];
  const base = {
    id: completion.id,
    object: "chat.completion.chunk",
    created: completion.created,
    model: completion.model,
  };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  });
  const chunks: object[] = [chunk({ role: "assistant", content: "" })];
  for (const piece of choice?.message.content?.match(/\S+\s*|\s+/g) ?? []) chunks.push(chunk({ content: piece }));
  (choice?.message.tool_calls ?? []).forEach((call, index) => {
    if (call.type !== "function") return;
    chunks.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }],
      }),
    );
    for (const piece of call.function.arguments.match(/.{1,5}/gs) ?? []) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, choice?.finish_reason ?? "stop"));
  if (completion.usage) chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks as OpenAIChunk[];
}

describe("OpenAI JSON through Claude and back", () => {
  it("a request keeps its texts, images, tool calls and results, tools, stop sequences and sampling", async () => {
    await fc.assert(
      fc.asyncProperty(openAIJsonRequest, async (json) => {
        const body = await claudeBodyFor(json);
        fc.pre(body !== undefined);
        const model = String(json.model);
        const { request: canonical } = fromAnthropicRequest(body, { model });
        validateChatRequest(canonical);
        const back = toOpenAIRequest(canonical, model) as unknown as Json;
        expect(meaning(back)).toEqual(meaning(json));
        if (tokenLimit(json) !== undefined) expect(tokenLimit(back)).toBe(tokenLimit(json));
      }),
      RUNS,
    );
  });

  it("an answer keeps its text, tool calls, finish reason and usage", () => {
    fc.assert(
      fc.property(openAIJsonAnswer, (json) => {
        const claude = toAnthropicResponse(fromOpenAIResponse(json as unknown as ChatCompletion));
        const back = chatCompletionJson(providerReadsClaude(claude)) as unknown as Json;
        const sent = answerSaid(json);
        // Claude's usage is always there: none reported reads back as zero tokens.
        expect(answerSaid(back)).toEqual({ ...sent, usage: sent.usage ?? [0, 0, undefined] });
      }),
      RUNS,
    );
  });

  it("a streamed answer keeps its text, tool calls, finish reason and usage", async () => {
    await fc.assert(
      fc.asyncProperty(openAIJsonAnswer, async (json) => {
        const writer = new AnthropicStreamEvents();
        const events = [...streamOf(json).flatMap((chunk) => writer.chunk(fromOpenAIChunk(chunk))), ...writer.end()];
        const back = (await providerReadsClaudeStream(events)).map(
          (chunk) => chatCompletionChunkJson(chunk, true) as unknown as OpenAIChunk,
        );
        const sent = answerSaid(json);
        expect(streamSaid(back)).toEqual({ ...sent, usage: sent.usage ?? [0, 0, undefined] });
      }),
      RUNS,
    );
  });
});
