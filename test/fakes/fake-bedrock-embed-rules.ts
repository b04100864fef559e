/**
 * What the fake Bedrock's embedding families share: the JSON-schema checks
 * Bedrock makes of their bodies, in its words (`#/<path>: ...` inside
 * "Malformed input request: ..."), and how their families are declared.
 * Embedding models answer InvokeModel only; none of them streams.
 */
import type { FakeFoundationModel } from "./fake-bedrock-catalog.js";
import { type BodyRule, isRecord, type ModelFamily, type RequestBody } from "./fake-bedrock-model-family.js";
import { malformed } from "./fake-bedrock-rest.js";

function typeName(value: unknown): string {
  if (Array.isArray(value)) return "JSONArray";
  if (value === null) return "Null";
  if (typeof value === "object") return "JSONObject";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "BigDecimal";
  if (typeof value === "boolean") return "Boolean";
  return "String";
}

/** `value` must be one of `allowed`. */
export function enumValue(at: string, value: unknown, allowed: readonly unknown[]): void {
  if (!allowed.includes(value)) malformed(`${at}: ${String(value)} is not a valid enum value`);
}

/** `value` must have the JSON type `expected` (`String`, `Boolean`, `JSONArray`, `JSONObject`, `Integer`). */
export function ofType(at: string, value: unknown, expected: string): void {
  if (typeName(value) !== expected) malformed(`${at}: expected type: ${expected}, found: ${typeName(value)}`);
}

/** A required key of the object at `at`. */
export function required(at: string, object: RequestBody, key: string): unknown {
  if (object[key] === undefined) malformed(`${at}: required key [${key}] not found`);
  return object[key];
}

/** A list of at most `max` items, each checked by `item`. */
export function listOf(at: string, value: unknown, max: number, item: (at: string, value: unknown) => void): void {
  ofType(at, value, "JSONArray");
  const items = value as unknown[];
  if (items.length > max) malformed(`${at}: expected maximum item count: ${max}, found: ${items.length}`);
  items.forEach((entry, index) => {
    item(`${at}/${index}`, entry);
  });
}

/** A string of at least one character. */
export function nonEmptyString(at: string, value: unknown): void {
  ofType(at, value, "String");
  if ((value as string).length === 0) malformed(`${at}: expected minLength: 1, actual: 0`);
}

/** An object field, checked by `rules` when present. */
export function nested(at: string, value: unknown, check: (object: RequestBody) => void): void {
  if (value === undefined) return;
  if (!isRecord(value)) malformed(`${at}: expected type: JSONObject, found: ${typeName(value)}`);
  check(value);
}

export interface EmbedFamilySpec {
  name: string;
  /** The model ids (foundation models) this family answers for. */
  models: RegExp;
  rules: readonly BodyRule[];
  answer(body: RequestBody, model: FakeFoundationModel, sequence: number): unknown;
}

/** A family that answers InvokeModel for its embedding models, and refuses their stream (no `stream`). */
export function embedFamily(spec: EmbedFamilySpec): ModelFamily {
  return {
    name: spec.name,
    handles: (operation, model) => operation.startsWith("invoke") && spec.models.test(model.modelId),
    rules: spec.rules,
    answer: (request) => spec.answer(request.body, request.model, request.sequence),
  };
}
