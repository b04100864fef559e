import type { CreateEmbeddingsRequest } from "../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError } from "./errors.js";

/** What the vectors are for (the `input_type` extension); empty means the first. */
export const EMBEDDING_INPUT_TYPES = ["search_document", "search_query", "classification", "clustering"] as const;
export type EmbeddingInputType = (typeof EMBEDDING_INPUT_TYPES)[number];

/** OpenAI's limit on inputs per request; Bedrock models that take one input per call are bounded by it too. */
export const MAX_EMBEDDING_INPUTS = 2048;

function invalidValue(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, { param, code: "invalid_value" });
}

/** The `input_type` a request asks for, its default filled in. */
export function inputTypeOf(request: CreateEmbeddingsRequest): EmbeddingInputType {
  return (request.inputType || EMBEDDING_INPUT_TYPES[0]) as EmbeddingInputType;
}

function validateInputs(request: CreateEmbeddingsRequest): void {
  const texts = request.input.length;
  const tokens = request.inputTokens.length;
  if (texts > 0 && tokens > 0) {
    throw invalidValue(
      "input",
      "Give the inputs either as texts ('input') or as token ids ('input_tokens'), not both.",
    );
  }
  if (texts + tokens === 0) {
    throw new InvalidRequestError("'input' must contain at least one input.", {
      param: "input",
      code: "missing_required_parameter",
    });
  }
  if (texts + tokens > MAX_EMBEDDING_INPUTS) {
    throw invalidValue("input", `'input' takes at most ${MAX_EMBEDDING_INPUTS} inputs, got ${texts + tokens}.`);
  }
  const at = texts > 0 ? request.input.indexOf("") : request.inputTokens.findIndex((input) => input.ids.length === 0);
  if (at !== -1) throw invalidValue(`input.[${at}]`, `Invalid 'input.[${at}]': an input must not be empty.`);
}

/**
 * Checks what every provider needs of an embeddings request, so that a bad
 * request gets the same 400 / INVALID_ARGUMENT whichever transport and
 * model it came by. What only some models take (`normalize`, image inputs,
 * token ids) their providers check.
 */
export function validateEmbeddingsRequest(request: CreateEmbeddingsRequest): void {
  if (request.model.trim() === "") {
    throw new InvalidRequestError("Missing required parameter: 'model'.", {
      param: "model",
      code: "missing_required_parameter",
    });
  }
  validateInputs(request);
  const dimensions = request.dimensions;
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && dimensions >= 1)) {
    throw invalidValue("dimensions", `Invalid 'dimensions': expected an integer of at least 1, got ${dimensions}.`);
  }
  if (request.inputType !== "" && !(EMBEDDING_INPUT_TYPES as readonly string[]).includes(request.inputType)) {
    const supported = EMBEDDING_INPUT_TYPES.map((value) => `'${value}'`).join(", ");
    throw invalidValue(
      "input_type",
      `Invalid value for 'input_type': '${request.inputType}'. Supported values are: ${supported}.`,
    );
  }
}
