/**
 * Bedrock features the fake families share: Claude's thinking signatures
 * (issued by the fake and checked when a conversation sends them back),
 * the prompt cache (a prefix written on first sight, read afterwards),
 * the guardrails the account has, and answers made up from a JSON Schema
 * (for structured output and forced tools).
 */
import { createHmac } from "node:crypto";
import { BedrockError, validationError } from "./fake-bedrock-rest.js";

const SECRET = "fake-bedrock-thinking-key";

/** Claude's signature of a thinking block: opaque to callers, checked by Bedrock when the block comes back. */
export function signThinking(thinking: string): string {
  return createHmac("sha256", SECRET).update(thinking).digest("base64");
}

export function validSignature(thinking: string, signature: unknown): boolean {
  return typeof signature === "string" && signature === signThinking(thinking);
}

/** The encrypted data of a redacted thinking block, which only the fake can check. */
export function redactedData(sequence: number): string {
  const payload = Buffer.from(`redacted reasoning ${sequence}`).toString("base64");
  return `${payload}.${createHmac("sha256", SECRET).update(payload).digest("base64")}`;
}

export function validRedactedData(data: unknown): boolean {
  if (typeof data !== "string") return false;
  const [payload = "", mac = ""] = data.split(".");
  return mac === createHmac("sha256", SECRET).update(payload).digest("base64");
}

// ---------------------------------------------------------------- prompt cache

/** What one request did with the cache, in tokens. */
export interface CacheUse {
  read: number;
  write: number;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The account's prompt cache: the prompt up to a request's last breakpoint
 * is written the first time it is seen and read the next times (the TTL is
 * not simulated). Tokens are counted as words of its JSON.
 */
export class PromptCache {
  readonly #prefixes = new Set<string>();

  use(prefix: string | undefined): CacheUse | undefined {
    if (prefix === undefined) return undefined;
    const tokens = Math.max(1, words(prefix.replace(/[{}[\]",:]/g, " ")));
    if (this.#prefixes.has(prefix)) return { read: tokens, write: 0 };
    this.#prefixes.add(prefix);
    return { read: 0, write: tokens };
  }

  clear(): void {
    this.#prefixes.clear();
  }
}

/** A cache mark's TTL in minutes: the default is five. */
export const ttlMinutes = (ttl: unknown) => (ttl === "1h" ? 60 : 5);

/**
 * Bedrock's rules on breakpoints, for Claude and Converse alike: at most 4
 * per request, TTLs that never increase along tools, system and messages.
 * `marks` lists their TTLs in that order.
 */
export function checkBreakpoints(marks: unknown[], words: { tooMany: (found: number) => string; order: string }): void {
  if (marks.length > 4) throw validationError(words.tooMany(marks.length));
  marks.forEach((ttl, index) => {
    if (index > 0 && ttlMinutes(ttl) > ttlMinutes(marks[index - 1])) throw validationError(words.order);
  });
}

// ---------------------------------------------------------------- guardrails

/** The guardrails of the fake account, by identifier, with the versions that exist. */
export const FAKE_GUARDRAILS: Record<string, string[]> = { gr0fake0pii: ["1", "DRAFT"], gr0fake0topics: ["DRAFT"] };

export interface GuardrailUse {
  identifier: string;
  version: string;
  trace: boolean;
}

/** The guardrail a request names, checked as Bedrock does; undefined when it names none. */
export function resolveGuardrail(identifier: unknown, version: unknown, trace: unknown): GuardrailUse | undefined {
  if (identifier === undefined) return undefined;
  const versions = FAKE_GUARDRAILS[String(identifier)];
  if (!versions?.includes(String(version))) {
    throw new BedrockError(
      404,
      "ResourceNotFoundException",
      "The guardrail identifier or version provided in the request does not exist.",
    );
  }
  const traced = String(trace ?? "disabled").toLowerCase();
  return {
    identifier: String(identifier),
    version: String(version),
    trace: traced === "enabled" || traced === "enabled_full",
  };
}

/** What a guardrail's trace says when it blocked an answer (a shortened real one). */
export function guardrailTrace(guardrail: GuardrailUse) {
  return {
    inputAssessment: {
      [guardrail.identifier]: {
        contentPolicy: { filters: [{ type: "VIOLENCE", confidence: "HIGH", action: "BLOCKED" }] },
      },
    },
  };
}

/** The message a guardrail answers in place of the model's. */
export const GUARDRAIL_BLOCKED_MESSAGE = "Sorry, the model cannot answer this question.";

// ---------------------------------------------------------------- JSON from a schema

/**
 * A value that follows a JSON Schema, as a model constrained by it would
 * write: every property, the first enum value, one item per array.
 */
export function instanceOf(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return {};
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.const !== undefined) return s.const;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "string":
      return "text";
    case "number":
      return 1.5;
    case "integer":
      return 1;
    case "boolean":
      return true;
    case "null":
      return null;
    case "array":
      return [instanceOf(s.items)];
    default: {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, instanceOf(property)]));
    }
  }
}
