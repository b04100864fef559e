import { InvalidRequestError } from "../../core/errors.js";

export type JsonObject = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "number" && !Number.isInteger(value)) return "a decimal";
  return `a ${typeof value}`;
}

function typeError(param: string, expected: string, value: unknown): InvalidRequestError {
  return new InvalidRequestError(
    `Invalid type for '${param}': expected ${expected}, but got ${describe(value)} instead.`,
    { param, code: "invalid_type" },
  );
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the fields of one JSON object of a request, checking each type and
 * naming the field by its full path (OpenAI's `messages.[0].role` notation)
 * when it is wrong. Absent and null fields read as undefined.
 */
export class JsonFields {
  constructor(
    readonly object: JsonObject,
    readonly path: string = "",
  ) {}

  static of(value: unknown, path: string): JsonFields {
    if (isObject(value)) return new JsonFields(value, path);
    if (path === "") {
      throw new InvalidRequestError(`The request body must be a JSON object, but it is ${describe(value)}.`, {
        code: "invalid_type",
      });
    }
    throw typeError(path, "an object", value);
  }

  param(key: string): string {
    return this.path === "" ? key : `${this.path}.${key}`;
  }

  has(key: string): boolean {
    const value = this.object[key];
    return value !== undefined && value !== null;
  }

  raw(key: string): unknown {
    return this.object[key] ?? undefined;
  }

  string(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || typeof value === "string") return value;
    throw typeError(this.param(key), "a string", value);
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined) {
      throw new InvalidRequestError(`Missing required parameter: '${this.param(key)}'.`, {
        param: this.param(key),
        code: "missing_required_parameter",
      });
    }
    return value;
  }

  number(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined || (typeof value === "number" && Number.isFinite(value))) return value;
    throw typeError(this.param(key), "a number", value);
  }

  integer(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined || Number.isSafeInteger(value)) return value as number | undefined;
    throw typeError(this.param(key), "an integer", value);
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || typeof value === "boolean") return value;
    throw typeError(this.param(key), "a boolean", value);
  }

  nested(key: string): JsonFields | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : JsonFields.of(value, this.param(key));
  }

  /** The items of an array field, each with its path `key.[i]`. */
  array(key: string): { value: unknown; path: string }[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw typeError(this.param(key), "an array", value);
    return value.map((item, index) => ({ value: item, path: `${this.param(key)}.[${index}]` }));
  }

  /** A field that is a string or an array of strings. */
  strings(key: string): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
    throw typeError(this.param(key), "a string or an array of strings", value);
  }

  typeError(key: string, expected: string): InvalidRequestError {
    return typeError(this.param(key), expected, this.raw(key));
  }
}
