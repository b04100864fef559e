/**
 * A model family of the fake Bedrock Runtime: which requests it answers,
 * the rules Bedrock checks their bodies by, and its answers in its own
 * shape. The chat families (Claude, Titan text, Converse) share how an
 * answer is made up through `chatFamily`: scripted by a test, or by
 * default repeating the caller's last turn.
 */
import type { FakeFoundationModel } from "./fake-bedrock-catalog.js";
import {
  type CacheUse,
  GUARDRAIL_BLOCKED_MESSAGE,
  type GuardrailUse,
  guardrailTrace,
  instanceOf,
  type PromptCache,
  redactedData,
  signThinking,
} from "./fake-bedrock-features.js";
import { malformed, type Operation, validationError } from "./fake-bedrock-rest.js";

export type RequestBody = Record<string, unknown>;

export interface ToolUseReply {
  id?: string;
  name: string;
  input: Record<string, unknown>;
}

/** What a test scripts of an answer; what it leaves out is derived from the request. */
export interface ReplyScript {
  text?: string | null;
  toolUses?: ToolUseReply[];
  /** The family's own stop reason (`max_tokens`, `LENGTH`, `content_filtered`, ...). */
  stopReason?: string;
  cacheReadTokens?: number;
  /** A reasoning answer also has a redacted thinking block. */
  redactedThinking?: boolean;
  /** The request's guardrail blocks the answer. */
  guardrailIntervenes?: boolean;
  /** The answer of a structured-output request, instead of one made up from the schema. */
  json?: unknown;
}

/**
 * A check Bedrock makes of a request body before the model runs; it throws
 * a BedrockError (usually `validationError`) when the body breaks it.
 */
export type BodyRule = (body: RequestBody, model: FakeFoundationModel) => void;

export interface FamilyRequest {
  operation: Operation;
  model: FakeFoundationModel;
  body: RequestBody;
  script: ReplyScript;
  /** Counts the answers of this fake, for ids that differ from one answer to the next. */
  sequence: number;
  /** The account's prompt cache. */
  cache: PromptCache;
  /** The guardrail the request named (headers on InvokeModel, the body on Converse). */
  guardrail: GuardrailUse | undefined;
  /** The service tier the request asked for. */
  serviceTier: string | undefined;
}

export interface ModelFamily {
  readonly name: string;
  /** Whether this family answers the operation for the model. */
  handles(operation: Operation, model: FakeFoundationModel): boolean;
  /** Bedrock's checks, in the order it makes them: the first that fails is the answer. */
  readonly rules: readonly BodyRule[];
  /** The JSON answer of the unary operation. */
  answer(request: FamilyRequest): unknown;
  /** The frames of the streaming operation; a family without them does not stream. */
  stream?(request: FamilyRequest): Uint8Array[];
}

// ---------------------------------------------------------------- rules many families share

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Refuses keys the model's schema does not name, as Bedrock's JSON-schema check does. */
export function onlyKeys(allowed: readonly string[], at = "#"): (body: RequestBody) => void {
  return (body) => {
    for (const key of Object.keys(body)) {
      if (!allowed.includes(key)) malformed(`${at}: extraneous key [${key}] is not permitted`);
    }
  };
}

/** Where a conversation breaks the turn order, in the family's own words. */
export interface AlternationMessages {
  empty: string;
  firstNotUser: string;
  repeated(role: string): string;
}

/** The conversation starts with the user and alternates user and assistant. */
export function alternation(messages: AlternationMessages): BodyRule {
  return (body) => {
    const turns = body.messages as { role: string }[];
    if (turns.length === 0) throw validationError(messages.empty);
    if (turns[0]?.role !== "user") throw validationError(messages.firstNotUser);
    turns.forEach((turn, index) => {
      if (index > 0 && turns[index - 1]?.role === turn.role) throw validationError(messages.repeated(turn.role));
    });
  };
}

// ---------------------------------------------------------------- chat answers

/** What the caller said in one turn, as the default answer and the token counts read it. */
export interface Turn {
  role: string;
  texts: string[];
  /** `<media type>, <n> bytes` per image; `document <name>, <n> bytes` per document. */
  images: string[];
  toolResults: string[];
  toolUses: number;
}

/** The answer the fake gives, before a family writes it in its own shape. */
export interface Answer {
  sequence: number;
  text: string | null;
  toolUses: Required<ToolUseReply>[];
  stopReason: string;
  /** Prompt tokens not read from or written to the cache. */
  inputTokens: number;
  outputTokens: number;
  cache: CacheUse | undefined;
  /** The model's reasoning; its signature when the model signs it (Claude). */
  reasoning: { text: string; signature: string | undefined } | undefined;
  /** Redacted reasoning blocks' data. */
  redacted: string[];
  guardrail: { intervened: boolean; trace: unknown } | undefined;
  serviceTier: string | undefined;
}

export interface ChatFamilySpec {
  name: string;
  handles: ModelFamily["handles"];
  rules: readonly BodyRule[];
  /** What the caller said, turn by turn. */
  turns(body: RequestBody): Turn[];
  /** The stop reason of an answer no test scripted one for. */
  stopReason(toolUses: number): string;
  /** The id of the `index`th tool use of an answer, in the family's style. */
  toolUseId(sequence: number, index: number): string;
  /** The unary answer. */
  message(answer: Answer): unknown;
  /** The streamed answer, frame by frame. */
  frames(answer: Answer): Uint8Array[];
  /** Whether the answer reasons, and whether the reasoning is signed (Claude) or plain. */
  reasoning?(body: RequestBody, model: FakeFoundationModel): "signed" | "plain" | undefined;
  /** The tool a request forces, which the answer then calls with input that follows its schema. */
  forcedTool?(body: RequestBody): { name: string; schema: unknown } | undefined;
  /** The JSON Schema of a structured-output request, which the answer's text then follows. */
  outputSchema?(body: RequestBody): unknown;
  /** The prompt up to the request's last cache breakpoint, as the cache knows prefixes. */
  cachePrefix?(body: RequestBody): string | undefined;
  /** The stop reason of an answer a guardrail blocked. */
  guardrailStopReason?: string;
}

export interface ChatFamily extends ModelFamily {
  turns(body: RequestBody): Turn[];
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The default answer: repeats the last user turn (its text, images or tool results). */
export function replyFor(turns: Turn[]): string {
  const last = [...turns].reverse().find((turn) => turn.role === "user");
  if (!last) return "You said nothing.";
  if (last.toolResults.length > 0 && last.texts.length === 0) return `The tool said: ${last.toolResults.join(" | ")}`;
  const images = last.images
    .map((image) => (image.startsWith("document ") ? ` [${image}]` : ` [image: ${image}]`))
    .join("");
  return `You said: ${last.texts.join(" ")}${images}`;
}

/** The fake's token count of a prompt: what answers report as input (with the cache's part) and CountTokens counts. */
export function countPromptTokens(body: RequestBody, turns: Turn[]): number {
  const prompt = JSON.stringify(body.messages ?? body.inputText ?? "");
  return words(prompt.replace(/[{}[\]",:]/g, " ")) + turns.length * 3;
}

function answerFor(spec: ChatFamilySpec, request: FamilyRequest): Answer {
  const { script, sequence, body, model } = request;
  const turns = spec.turns(body);
  const forced = spec.forcedTool?.(body);
  const scripted =
    script.toolUses ??
    (forced ? [{ name: forced.name, input: instanceOf(forced.schema) as Record<string, unknown> }] : []);
  let toolUses = scripted.map((use, index) => ({
    id: use.id ?? spec.toolUseId(sequence, index),
    name: use.name,
    input: use.input,
  }));
  const schema = spec.outputSchema?.(body);
  const made = schema === undefined ? replyFor(turns) : JSON.stringify(script.json ?? instanceOf(schema));
  let text = script.text === undefined ? (toolUses.length > 0 ? null : made) : script.text;
  let stopReason = script.stopReason ?? spec.stopReason(toolUses.length);
  const guardrail = request.guardrail;
  const intervened = guardrail !== undefined && script.guardrailIntervenes === true;
  if (intervened) {
    text = GUARDRAIL_BLOCKED_MESSAGE;
    toolUses = [];
    stopReason = spec.guardrailStopReason ?? stopReason;
  }
  const reasons = intervened ? undefined : spec.reasoning?.(body, model);
  const said =
    turns
      .filter((turn) => turn.role === "user")
      .at(-1)
      ?.texts.join(" ") ?? "";
  const thought = `Thinking about: ${said}`;
  const cache =
    script.cacheReadTokens === undefined
      ? request.cache.use(spec.cachePrefix?.(body))
      : { read: script.cacheReadTokens, write: 0 };
  const promptTokens = countPromptTokens(body, turns);
  return {
    sequence,
    text,
    toolUses,
    stopReason,
    inputTokens: Math.max(1, promptTokens - (cache ? cache.read + cache.write : 0)),
    outputTokens: Math.max(1, words(text ?? "") + toolUses.length * 5 + (reasons ? words(thought) : 0)),
    cache,
    reasoning: reasons
      ? { text: thought, signature: reasons === "signed" ? signThinking(thought) : undefined }
      : undefined,
    redacted: reasons && script.redactedThinking ? [redactedData(sequence)] : [],
    guardrail: guardrail
      ? { intervened, trace: guardrail.trace && intervened ? guardrailTrace(guardrail) : undefined }
      : undefined,
    serviceTier: request.serviceTier,
  };
}

/** A family that answers conversations: the answer is made up once, then written unary or streamed. */
export function chatFamily(spec: ChatFamilySpec): ChatFamily {
  return {
    name: spec.name,
    handles: spec.handles,
    rules: spec.rules,
    turns: spec.turns,
    answer: (request) => spec.message(answerFor(spec, request)),
    stream: (request) => spec.frames(answerFor(spec, request)),
  };
}

/** What Bedrock adds to the last chunk of an InvokeModel stream, whatever the model. */
export function invocationMetrics(answer: Answer, latencyMs: { invocation: number; firstByte: number }) {
  return {
    "amazon-bedrock-invocationMetrics": {
      inputTokenCount: answer.inputTokens,
      outputTokenCount: answer.outputTokens,
      invocationLatency: latencyMs.invocation,
      firstByteLatency: latencyMs.firstByte,
    },
  };
}

/** Text as a model streams it: word by word, each with its trailing space. */
export function textPieces(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

/** Tool input JSON as models stream it: in small fragments. */
export function jsonFragments(value: unknown): string[] {
  return JSON.stringify(value).match(/[\s\S]{1,7}/g) ?? [];
}
