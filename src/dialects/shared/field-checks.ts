import { InvalidRequestError } from "../../core/errors.js";
import type { JsonFields } from "./json-fields.js";

export function quotedList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(", ");
}

export function invalidValue(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { param, code: "invalid_value" });
}

export function missing(param: string, why = ""): InvalidRequestError {
  return new InvalidRequestError(`Missing required parameter: '${param}'${why}.`, {
    param,
    code: "missing_required_parameter",
  });
}

/** Refuses a field that the format defines but this server cannot honour. */
export function unsupported(param: string, why: string): InvalidRequestError {
  return new InvalidRequestError(`'${param}' is not supported: ${why}.`, { param, code: "unsupported_parameter" });
}

/** A string field that must be one of `values`. */
export function oneOf<const T extends string>(
  fields: JsonFields,
  key: string,
  values: readonly T[],
  required = true,
): T | undefined {
  const value = required ? fields.requiredString(key) : fields.string(key);
  if (value === undefined || (values as readonly string[]).includes(value)) return value as T | undefined;
  throw invalidValue(
    fields.param(key),
    `Invalid value for '${fields.param(key)}': '${value}'. Supported values are: ${quotedList(values)}.`,
  );
}

/** An array field that must be present, each item with its path. */
export function requiredArray(fields: JsonFields, key: string): { value: unknown; path: string }[] {
  const items = fields.array(key);
  if (items === undefined) throw missing(fields.param(key));
  return items;
}

/** A number field within [min, max]; `integer` also refuses fractions (the type check does). */
export function numberIn(
  fields: JsonFields,
  key: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  const value = integer ? fields.integer(key) : fields.number(key);
  if (value === undefined || (value >= min && value <= max)) return value;
  const param = fields.param(key);
  const bound = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
  throw invalidValue(
    param,
    `Invalid '${param}': expected ${integer ? "an integer" : "a number"} ${bound}, got ${value}.`,
  );
}

/** At most this many stop sequences: the canonical request carries OpenAI's limit. */
export const MAX_STOP_SEQUENCES = 4;

/** A list of stop sequences, as many as the canonical request carries. */
export function stopSequences(fields: JsonFields, key: string): string[] | undefined {
  const items = fields.array(key);
  if (items === undefined) return undefined;
  const stops = items.map(({ value, path }) => {
    if (typeof value === "string") return value;
    throw new InvalidRequestError(`Invalid type for '${path}': expected a string.`, {
      param: path,
      code: "invalid_type",
    });
  });
  if (stops.length > MAX_STOP_SEQUENCES) {
    throw invalidValue(
      fields.param(key),
      `'${fields.param(key)}' takes at most ${MAX_STOP_SEQUENCES} sequences here, got ${stops.length}.`,
    );
  }
  return stops;
}

/** A required string that must not be empty. */
export function nonEmptyString(fields: JsonFields, key: string): string {
  const value = fields.requiredString(key);
  if (value === "") {
    throw new InvalidRequestError(`Invalid '${fields.param(key)}': it must not be empty.`, {
      param: fields.param(key),
      code: "invalid_value",
    });
  }
  return value;
}
