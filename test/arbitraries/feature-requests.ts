/**
 * fast-check generators of requests that carry the request features
 * (reasoning, thinking blocks, prompt-cache marks, documents, structured
 * output, Bedrock's controls, fields no version of this server knows) for
 * every provider family: a conversation with a few features, half of them
 * as a client means them (so a fuzz reaches the converters and the
 * upstreams) and half with values that are sometimes anything at all.
 */
import type { JsonObject, MessageInitShape } from "@bufbuild/protobuf";
import fc from "fast-check";
import type { ChatCompletionRequestSchema, ContentPartSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import { redactedData, signThinking } from "../fakes/fake-bedrock-features.js";
import { PNG_DATA_URL } from "./images.js";

type Json = Record<string, unknown>;
type ChatRequestInit = MessageInitShape<typeof ChatCompletionRequestSchema>;
type PartInit = MessageInitShape<typeof ContentPartSchema>;

/** Bedrock models of every family and ability, and an OpenAI one. */
export const FEATURE_MODELS = [
  "gpt-4o-mini",
  "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "us.anthropic.claude-sonnet-4-20250514-v1:0",
  "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
  "us.amazon.nova-2-lite-v1:0",
  "amazon.nova-lite-v1:0",
  "us.deepseek.r1-v1:0",
  "meta.llama3-8b-instruct-v1:0",
  "amazon.titan-text-express-v1",
] as const;

const DOCUMENTS = [
  "data:application/pdf;base64,JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK",
  "data:text/plain;base64,aGVsbG8=",
  "data:text/csv;base64,YSxiCjEsMgo=",
];
const ODD_DOCUMENTS = [
  "data:application/octet-stream;base64,aGk=",
  "data:application/zip;base64,UEsDBA==",
  "data:;base64,",
  "not a data URL",
];
const ARGUMENTS = ["", "{}", '{"q":1}'];
const ODD_ARGUMENTS = ["[", "null", '"text"'];

/** Any JSON value, shallow enough to keep runs quick. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A Struct's JSON: fast-check's JSON values are protobuf's, typed apart. */
const anyObject = fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 3 }) as fc.Arbitrary<JsonObject>;

const text = fc.string({ maxLength: 20 });

/** Up to `most` of the given fields, each drawn from its arbitrary. */
function aFew(fields: Record<string, fc.Arbitrary<unknown>>, most: number): fc.Arbitrary<Json> {
  return fc
    .subarray(Object.keys(fields), { maxLength: most })
    .chain((keys) => fc.record(Object.fromEntries(keys.map((key) => [key, fields[key] as fc.Arbitrary<unknown>]))));
}

/** The generators, as a client means its values or (`hostile`) with any of them now and then wrong. */
function featureArbitraries(hostile: boolean) {
  /** A value of the right shape; when hostile, sometimes any JSON at all. */
  const either = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
    hostile ? fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: anyJson }) : good;
  /** One of the values a client means; when hostile, sometimes any short string. */
  const word = (...likely: string[]): fc.Arbitrary<string> =>
    hostile
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...likely) },
          { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
        )
      : fc.constantFrom(...likely);
  /** When hostile, now and then keys no version of this server names, with any values. */
  const unknownFields: fc.Arbitrary<Json> = hostile
    ? fc.option(
        fc.dictionary(
          fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("a_field_from_next_year", "__proto__", "constructor")),
          anyJson,
          { minKeys: 1, maxKeys: 2 },
        ),
        { freq: 4, nil: {} },
      )
    : fc.constant({});
  const documentData = hostile ? fc.constantFrom(...DOCUMENTS, ...ODD_DOCUMENTS) : fc.constantFrom(...DOCUMENTS);
  const toolArguments = hostile ? fc.constantFrom(...ARGUMENTS, ...ODD_ARGUMENTS) : fc.constantFrom(...ARGUMENTS);
  const fileName = word("report.pdf", "notes.txt", "data.csv", "a/b\\c?.md");

  const cacheMark = either(fc.record({ type: word("ephemeral"), ttl: word("5m", "1h") }, { requiredKeys: ["type"] }));
  /** A part or tool marked for the cache now and then. */
  const maybeCached: fc.Arbitrary<Json> = fc
    .option(cacheMark, { freq: 4, nil: undefined })
    .map((mark) => (mark === undefined ? {} : { cache_control: mark }));

  const schema = either(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] },
          { type: "object", properties: { n: { type: "integer", minimum: 3 } }, additionalProperties: false },
        ),
      },
      { weight: hostile ? 1 : 0, arbitrary: fc.constantFrom({ type: "array", items: { type: "number" } }, {}) },
    ),
  );

  const textPart = fc.tuple(text, maybeCached).map(([t, mark]) => ({ type: "text", text: t, ...mark }));

  /** A user part: text, an image, a document, and when hostile one of a kind no model takes. */
  const userPart = fc.oneof(
    { weight: 4, arbitrary: textPart },
    {
      weight: 1,
      arbitrary: maybeCached.map((mark) => ({ type: "image_url", image_url: { url: PNG_DATA_URL }, ...mark })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          either(fc.record({ file_data: documentData, filename: fileName }, { requiredKeys: ["file_data"] })),
          maybeCached,
        )
        .map(([file, mark]) => ({ type: "file", file, ...mark })),
    },
    { weight: hostile ? 1 : 0, arbitrary: fc.record({ type: fc.constantFrom("input_audio", "refusal", ""), text }) },
  );

  const userMessage = fc
    .tuple(fc.oneof(text, fc.array(userPart, { minLength: 1, maxLength: 3 })), unknownFields)
    .map(([content, rest]) => ({ ...rest, role: "user", content }));

  const systemMessage = fc
    .tuple(fc.constantFrom("system", "developer"), fc.oneof(text, fc.array(textPart, { minLength: 1, maxLength: 2 })))
    .map(([role, content]) => ({ role, content }));

  /** Claude's thinking as an answer carried it: signed by the fake Bedrock (or forged), redacted, or of another kind. */
  const thinkingBlock = either(
    fc.oneof(
      fc.tuple(text, fc.boolean()).map(([thinking, forged]) => ({
        type: "thinking",
        thinking,
        signature: hostile && forged ? "forged" : signThinking(thinking),
      })),
      fc.tuple(fc.nat(9), fc.boolean()).map(([sequence, forged]) => ({
        type: "redacted_thinking",
        data: hostile && forged ? "forged.data" : redactedData(sequence),
      })),
    ),
  );

  /** An assistant turn: text, reasoning, thinking blocks and tool calls, the calls answered by tool messages. */
  const assistantTurn = fc
    .tuple(
      fc.option(text, { nil: null }),
      aFew(
        {
          reasoning_content: either(text),
          thinking_blocks: either(fc.array(thinkingBlock, { maxLength: 2 })),
          refusal: fc.constant(null),
          annotations: fc.constant([]),
        },
        2,
      ),
      fc.array(fc.tuple(word("lookup", "json_response"), toolArguments, word("function")), { maxLength: 2 }),
      text,
    )
    .map(([content, extras, calls, result]) => {
      const ids = calls.map((_call, index) => `call_${index}`);
      const assistant: Json = {
        role: "assistant",
        content: content ?? (calls.length === 0 ? "" : null),
        ...extras,
        ...(calls.length > 0
          ? {
              tool_calls: calls.map(([name, args, type], index) => ({
                id: ids[index],
                type,
                function: { name, arguments: args },
              })),
            }
          : {}),
      };
      return [assistant, ...ids.map((id) => ({ role: "tool", tool_call_id: id, content: result }))];
    });

  /** A conversation: maybe a system prompt, then user turns, each maybe answered. */
  const conversation = fc
    .tuple(
      fc.option(systemMessage, { nil: undefined }),
      fc.array(fc.tuple(userMessage, fc.option(assistantTurn, { nil: undefined })), { minLength: 1, maxLength: 3 }),
    )
    .map(([system, turns]) => [
      ...(system ? [system] : []),
      ...turns.flatMap(([user, answer]) => [user, ...(answer ?? [])]),
    ]);

  const tool = either(
    fc
      .tuple(
        word("function"),
        fc.record(
          { name: fc.constantFrom("lookup", "json_response", "reply"), parameters: schema, strict: fc.boolean() },
          { requiredKeys: ["name"] },
        ),
        maybeCached,
      )
      .map(([type, fn, mark]) => ({ type, function: fn, ...mark })),
  );

  const thinking = either(
    fc.record({ type: fc.constantFrom("enabled", "disabled"), budget_tokens: fc.integer({ min: 1024, max: 20_000 }) }),
  );
  const anthropicBeta = either(fc.array(fc.constantFrom("interleaved-thinking-2025-05-14", "claude-code-20250219")));

  /** The request-level features; a body takes a few of them. */
  const features: Record<string, fc.Arbitrary<unknown>> = {
    reasoning_effort: word("none", "minimal", "low", "medium", "high"),
    max_tokens: either(fc.integer({ min: 1, max: 70_000 })),
    max_completion_tokens: either(fc.integer({ min: 1, max: 70_000 })),
    temperature: either(fc.double({ min: 0, max: 1, noNaN: true })),
    top_p: either(fc.double({ min: 0, max: 1, noNaN: true })),
    top_k: either(fc.integer({ min: 1, max: 500 })),
    tools: fc.array(tool, { minLength: 1, maxLength: 2 }),
    tool_choice: either(
      fc.oneof(
        fc.constantFrom("none", "auto", "required"),
        fc.constant({ type: "function", function: { name: "lookup" } }),
      ),
    ),
    parallel_tool_calls: fc.boolean(),
    response_format: either(
      fc.oneof(
        fc.constant({ type: "json_object" }),
        fc.constant({ type: "text" }),
        fc
          .record({ name: word("reply"), schema, strict: fc.boolean() }, { requiredKeys: ["name"] })
          .map((jsonSchema) => ({ type: "json_schema", json_schema: jsonSchema })),
      ),
    ),
    thinking,
    anthropic_beta: anthropicBeta,
    guardrail_config: either(
      fc.record(
        {
          guardrail_identifier: word("gr0fake0pii", "gr0fake0topics"),
          guardrail_version: word("1", "DRAFT"),
          trace: word("enabled", "enabled_full", "disabled"),
        },
        { requiredKeys: [] },
      ),
    ),
    performance_config: either(fc.record({ latency: word("standard", "optimized") })),
    service_tier: word("auto", "default", "flex", "priority", "reserved"),
    metadata: either(
      fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z ]{0,8}$/), { maxKeys: 3 }),
    ),
    user: either(fc.stringMatching(/^[a-z0-9-]{1,12}$/)),
    safety_identifier: either(fc.stringMatching(/^[a-z0-9-]{1,12}$/)),
    logprobs: fc.boolean(),
    top_logprobs: either(fc.integer({ min: 0, max: 20 })),
    logit_bias: either(fc.dictionary(fc.nat(99).map(String), fc.integer({ min: -100, max: 100 }), { maxKeys: 2 })),
    n: fc.integer({ min: 1, max: 2 }),
    stream: fc.boolean(),
    stream_options: either(
      fc.record({ include_usage: fc.boolean(), include_obfuscation: fc.boolean() }, { requiredKeys: [] }),
    ),
    prompt_cache_key: fc.string({ maxLength: 8 }),
  };

  const chatBody: fc.Arbitrary<Json> = fc
    .tuple(fc.constantFrom(...FEATURE_MODELS), conversation, aFew(features, 4), unknownFields)
    .map(([model, messages, fields, rest]) => ({ ...rest, ...fields, model, messages }));

  const claudeBlock = fc.oneof(
    { weight: 4, arbitrary: textPart },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          either(
            fc.oneof(
              fc.constant({ type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" }),
              fc.constant({ type: "text", media_type: "text/plain", data: "hello" }),
            ),
          ),
          maybeCached,
        )
        .map(([source, mark]) => ({ type: "document", source, ...mark })),
    },
    { weight: hostile ? 1 : 0, arbitrary: fc.record({ type: fc.string({ maxLength: 10 }), text: anyJson }) },
  );

  const claudeBody: fc.Arbitrary<Json> = fc
    .tuple(
      fc.constantFrom(...FEATURE_MODELS),
      fc.array(
        fc.tuple(
          fc.oneof(text, fc.array(claudeBlock, { minLength: 1, maxLength: 3 })),
          fc.option(fc.tuple(fc.array(thinkingBlock, { maxLength: 2 }), text), { nil: undefined }),
        ),
        { minLength: 1, maxLength: 2 },
      ),
      either(fc.integer({ min: 1, max: 70_000 })),
      aFew(
        {
          system: either(fc.oneof(text, fc.array(textPart, { minLength: 1, maxLength: 2 }))),
          thinking,
          tools: either(
            fc.array(
              fc.tuple(fc.constantFrom("lookup", "reply"), schema, maybeCached).map(([name, inputSchema, mark]) => ({
                name,
                input_schema: inputSchema,
                ...mark,
              })),
              { minLength: 1, maxLength: 2 },
            ),
          ),
          metadata: either(fc.record({ user_id: fc.stringMatching(/^[a-z0-9-]{1,8}$/) })),
          anthropic_beta: anthropicBeta,
          stream: fc.boolean(),
        },
        3,
      ),
      unknownFields,
    )
    .map(([model, turns, maxTokens, fields, rest]) => ({
      ...rest,
      max_tokens: maxTokens,
      ...fields,
      anthropic_version: "bedrock-2023-05-31",
      model,
      messages: turns.flatMap(([content, answer]) => [
        { role: "user", content },
        ...(answer ? [{ role: "assistant", content: [...answer[0], { type: "text", text: answer[1] }] }] : []),
      ]),
    }));

  const embeddingsBody: fc.Arbitrary<Json> = fc
    .tuple(
      fc.constantFrom("text-embedding-3-small", "amazon.titan-embed-text-v2:0", "cohere.embed-v4:0", "gpt-4o-mini"),
      either(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.array(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
        ),
      ),
      aFew(
        {
          dimensions: either(fc.constantFrom(256, 512, 1024)),
          encoding_format: word("float", "base64"),
          input_type: word("search_query", "clustering"),
          normalize: either(fc.boolean()),
          user: either(fc.string({ maxLength: 8 })),
        },
        2,
      ),
      unknownFields,
    )
    .map(([model, input, fields, rest]) => ({ ...rest, ...fields, model, input }));

  const rpcCacheControl = fc.option(fc.record({ type: word("ephemeral"), ttl: word("5m", "1h", "") }), {
    freq: 4,
    nil: undefined,
  });
  const rpcExtensions = hostile ? fc.option(anyObject, { freq: 3, nil: undefined }) : fc.constant(undefined);

  /** A part as gRPC may carry it: when hostile, any type with any of text, image, file and cache mark set. */
  const rpcPart: fc.Arbitrary<PartInit> = hostile
    ? fc.record(
        {
          type: word("text", "image_url", "file"),
          text,
          imageUrl: fc.record({
            url: fc.constantFrom(PNG_DATA_URL, "", "data:image/png;base64,!"),
            detail: word("high"),
          }),
          file: fc.record({ fileData: documentData, filename: fileName, fileId: fc.string({ maxLength: 6 }) }),
          cacheControl: rpcCacheControl,
          extensions: anyObject,
        },
        { requiredKeys: ["type"] },
      )
    : fc.oneof(
        fc.tuple(text, rpcCacheControl).map(([t, cacheControl]) => ({ type: "text", text: t, cacheControl })),
        fc
          .tuple(documentData, fileName)
          .map(([fileData, filename]) => ({ type: "file", file: { fileData, filename } })),
      );

  const rpcRequest: fc.Arbitrary<ChatRequestInit> = fc
    .tuple(
      fc.constantFrom(...FEATURE_MODELS),
      fc.array(
        fc.tuple(
          fc.oneof(
            text.map((content) => ({ content })),
            fc.array(rpcPart, { minLength: 1, maxLength: 3 }).map((contentParts) => ({ contentParts })),
          ),
          fc.option(
            fc.record(
              {
                content: text,
                reasoningContent: text,
                thinkingBlocks: fc.array(
                  fc
                    .tuple(word("thinking", "redacted_thinking"), text, fc.nat(9))
                    .map(([type, thinking, sequence]) => ({
                      type,
                      thinking,
                      signature: signThinking(thinking),
                      data: redactedData(sequence),
                    })),
                  { maxLength: 2 },
                ),
                toolCalls: fc.array(
                  fc.record({
                    id: fc.constant("call_0"),
                    type: word("function"),
                    function: fc.record({ name: word("lookup"), arguments: toolArguments }),
                  }),
                  { maxLength: 1 },
                ),
                extensions: rpcExtensions,
              },
              { requiredKeys: [] },
            ),
            { nil: undefined },
          ),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      aFew(
        {
          maxTokens: fc.integer({ min: 1, max: 70_000 }),
          temperature: fc.double({ min: 0, max: 1, noNaN: true }),
          topK: fc.integer({ min: 1, max: 500 }),
          tools: fc.array(
            fc.record({
              type: word("function"),
              function: fc.record({
                name: word("lookup", "json_response"),
                parameters: hostile ? anyObject : fc.constant({ type: "object" }),
                strict: fc.boolean(),
              }),
              cacheControl: rpcCacheControl,
              extensions: rpcExtensions,
            }),
            { maxLength: 2 },
          ),
          toolChoice: fc.record({
            type: word("none", "auto", "required", "function"),
            function: fc.record({ name: word("lookup") }),
          }),
          streamOptions: fc.record({ includeUsage: fc.boolean(), extensions: rpcExtensions }),
          responseFormat: fc.record({
            type: word("text", "json_object", "json_schema"),
            jsonSchema: fc.record({
              name: word("reply"),
              schema: hostile ? anyObject : fc.constant({ type: "object" }),
              strict: fc.boolean(),
            }),
          }),
          reasoningEffort: word("minimal", "low", "medium", "high"),
          user: fc.stringMatching(/^[a-z0-9-]{1,8}$/),
          extensions: rpcExtensions,
        },
        4,
      ),
    )
    .map(([model, turns, fields]) => ({
      ...fields,
      model,
      messages: turns.flatMap(([user, answer]): ChatRequestInit["messages"] & object => {
        if (!answer) return [{ role: "user", ...user }];
        const results = (answer.toolCalls ?? []).map((call) => ({ role: "tool", toolCallId: call.id, content: "42" }));
        return [{ role: "user", ...user }, { role: "assistant", ...answer }, ...results];
      }),
    }));

  return { chatBody, claudeBody, embeddingsBody, rpcRequest };
}

const meant = featureArbitraries(false);
const hostile = featureArbitraries(true);

/** An OpenAI Chat Completions body for any model: a conversation and a few features. */
export const featureChatBody = fc.oneof(meant.chatBody, hostile.chatBody);

/** A Bedrock Claude body (`anthropic_version`) for any model, with thinking, cache marks, documents and unknown keys. */
export const featureClaudeBody = fc.oneof(meant.claudeBody, hostile.claudeBody);

/** An OpenAI Embeddings body for OpenAI and Bedrock embedding models, with fields this server does not name. */
export const featureEmbeddingsBody = fc.oneof(meant.embeddingsBody, hostile.embeddingsBody);

/**
 * A ChatCompletionRequest as a gRPC client may build it: a conversation of
 * the usual roles whose parts, thinking blocks, cache marks and `extensions`
 * Structs hold, when hostile, any value their types allow, so the providers
 * meet what no HTTP body reader would have let through (a part with a file
 * and text, an empty cache mark, a thinking block of any type).
 */
export const featureRpcRequest = fc.oneof(meant.rpcRequest, hostile.rpcRequest);
