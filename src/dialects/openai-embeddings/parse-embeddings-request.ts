import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type CreateEmbeddingsRequest,
  CreateEmbeddingsRequestSchema,
  type InputTokensSchema,
} from "../../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError } from "../../core/errors.js";
import { otherFields } from "../../core/extension-fields.js";
import { oneOf } from "../shared/field-checks.js";
import { JsonFields } from "../shared/json-fields.js";

/** How the caller wants the vectors written: JSON numbers, or little-endian float32 bytes in base64. */
export const ENCODING_FORMATS = ["float", "base64"] as const;
export type EncodingFormat = (typeof ENCODING_FORMATS)[number];

/** An embeddings request read from OpenAI's body, and the form the caller wants the vectors in. */
export interface IncomingEmbeddingsRequest {
  request: CreateEmbeddingsRequest;
  encodingFormat: EncodingFormat;
}

type InputFields = Pick<MessageInitShape<typeof CreateEmbeddingsRequestSchema>, "input" | "inputTokens">;
type InputTokensInit = MessageInitShape<typeof InputTokensSchema>;

const MAX_TOKEN_ID = 2 ** 31 - 1;

// The fields the reader maps; the others travel in the request's `extensions`.
const REQUEST_KEYS = new Set(["model", "input", "dimensions", "user", "encoding_format", "input_type", "normalize"]);

const isTokenId = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TOKEN_ID;
const isTokenArray = (value: unknown): value is number[] => Array.isArray(value) && value.every(isTokenId);

function inputTypeError(param: string): InvalidRequestError {
  return new InvalidRequestError(
    `Invalid type for '${param}': expected a string, an array of strings, an array of token ids or an array of arrays of token ids.`,
    { param, code: "invalid_type" },
  );
}

/**
 * OpenAI's `input`: a string, a list of strings, one input as token ids, or
 * a list of inputs as token ids. Token ids are carried as they are; only
 * models that take them accept them.
 */
function readInput(body: JsonFields): InputFields {
  const input = body.raw("input");
  if (input === undefined) {
    throw new InvalidRequestError("Missing required parameter: 'input'.", {
      param: "input",
      code: "missing_required_parameter",
    });
  }
  if (typeof input === "string") return { input: [input] };
  if (!Array.isArray(input)) throw inputTypeError("input");
  if (input.length === 0) return {};
  if (input.every((item) => typeof item === "string")) return { input: input as string[] };
  if (isTokenArray(input)) return { inputTokens: [{ ids: input }] };
  const inputTokens: InputTokensInit[] = input.map((item, index) => {
    if (!isTokenArray(item)) throw inputTypeError(`input.[${index}]`);
    return { ids: item };
  });
  return { inputTokens };
}

function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Reads an OpenAI Embeddings body into the canonical request, rejecting
 * wrongly typed fields with the field's name. Besides OpenAI's fields it
 * reads the extensions `input_type` and `normalize` (see docs/embeddings.md);
 * every other field goes into `extensions` as sent, for OpenAI.
 */
export function parseEmbeddingsRequest(value: unknown): IncomingEmbeddingsRequest {
  const body = JsonFields.of(value, "");
  const request = create(CreateEmbeddingsRequestSchema, {
    model: body.requiredString("model"),
    ...readInput(body),
    user: body.string("user") ?? "",
    inputType: body.string("input_type") ?? "",
    ...defined({ dimensions: body.integer("dimensions"), normalize: body.boolean("normalize") }),
    extensions: otherFields(body.object, REQUEST_KEYS),
  });
  return { request, encodingFormat: oneOf(body, "encoding_format", ENCODING_FORMATS, false) ?? "float" };
}
