import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/**
 * The fields of a JSON object that a reader does not map, by their names:
 * what goes into the canonical message's `extensions`. The values are the
 * object's own (no copy). Undefined when there are none, so a message
 * without unknown fields carries no Struct.
 */
export function otherFields(object: Record<string, unknown>, known: ReadonlySet<string>): JsonObject | undefined {
  let rest: JsonObject | undefined;
  for (const key in object) {
    if (known.has(key)) continue;
    const value = object[key];
    if (value === undefined) continue;
    if (rest === undefined) rest = {};
    rest[key] = value as JsonValue;
  }
  return rest;
}

/** A value that says nothing: null, false, 0, "", an empty list or object (what clients send by default). */
export function isNeutral(value: unknown): boolean {
  if (value === null || value === false || value === 0 || value === "" || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}
