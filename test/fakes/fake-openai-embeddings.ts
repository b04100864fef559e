/**
 * OpenAI's `POST /v1/embeddings` as the fake OpenAI answers it: `input` a
 * string, a list of strings, token ids or lists of token ids (at most 2048
 * inputs, none empty); `dimensions` only for `text-embedding-3-*`;
 * `encoding_format` `float` (the default) or `base64` (little-endian
 * float32 bytes); the answer a `list` of `embedding` objects with their
 * `index`, the model and `usage`. Models: `text-embedding-3-small` (1536),
 * `text-embedding-3-large` (3072), `text-embedding-ada-002` (1536). Sources:
 * OpenAI API reference, "Embeddings"; openai-node `src/resources/embeddings.ts`.
 */
import { fakeEmbedding, fakeTokenCount } from "./fake-embeddings.js";

const MODEL_DIMENSIONS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};

const MAX_INPUTS = 2048;

function error(status: number, message: string, param: string | null = null, code: string | null = null) {
  return { status, body: { error: { message, type: "invalid_request_error", param, code } } };
}

const isTokenIds = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => Number.isInteger(item));

/** The inputs as the fake embeds them: texts as they are, token ids joined. */
function inputsOf(input: unknown): string[] | undefined {
  if (typeof input === "string") return input === "" ? undefined : [input];
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_INPUTS) return undefined;
  if (input.every((item) => typeof item === "string" && item !== "")) return input as string[];
  if (isTokenIds(input)) return [`tokens:${input.join(",")}`];
  if (input.every(isTokenIds)) return input.map((ids) => `tokens:${ids.join(",")}`);
  return undefined;
}

/** The vector the fake gives an input: float32 numbers, as OpenAI's are. */
export function fakeOpenAIEmbedding(input: string, dimensions: number): number[] {
  return fakeEmbedding(input, dimensions).map(Math.fround);
}

/** Token ids as the fake embeds them, to compute the expected vector of a token input. */
export const tokenInput = (ids: number[]) => `tokens:${ids.join(",")}`;

function float32LittleEndian(vector: number[]): Buffer {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => {
    bytes.writeFloatLE(value, index * 4);
  });
  return bytes;
}

export function embeddingsAnswer(body: Record<string, unknown>): { status: number; body: unknown } {
  const model = String(body.model ?? "");
  const native = MODEL_DIMENSIONS[model];
  if (native === undefined) {
    return error(
      404,
      `The model \`${model}\` does not exist or you do not have access to it.`,
      null,
      "model_not_found",
    );
  }
  const inputs = inputsOf(body.input);
  if (!inputs) {
    return error(
      400,
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    );
  }
  if (body.dimensions !== undefined && !model.startsWith("text-embedding-3")) {
    return error(400, "This model does not support specifying dimensions.");
  }
  const base64 = body.encoding_format === "base64";
  const dimensions = typeof body.dimensions === "number" ? body.dimensions : native;
  const tokens = inputs.reduce((sum, input) => sum + fakeTokenCount(input.replaceAll(",", " ")), 0);
  return {
    status: 200,
    body: {
      object: "list",
      data: inputs.map((input, index) => {
        const vector = fakeOpenAIEmbedding(input, dimensions);
        return {
          object: "embedding",
          index,
          embedding: base64 ? float32LittleEndian(vector).toString("base64") : vector,
        };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}
