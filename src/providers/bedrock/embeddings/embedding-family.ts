import type { CreateEmbeddingsRequest } from "../../../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError } from "../../../core/errors.js";
import { unreadableAnswer } from "../../upstream/upstream-failures.js";
import { BEDROCK } from "../bedrock-exchange.js";
import type { EmbeddingInput } from "./embedding-input.js";

/** One InvokeModel call of an embeddings request: its body, and which of the request's inputs it embeds, in order. */
export interface EmbeddingCall<Body = unknown> {
  inputs: number[];
  body: Body;
}

/** What one call answered: a vector per input it embedded, in order, and the tokens the model counted. */
export interface EmbeddingAnswer {
  vectors: number[][];
  tokens: number;
}

/**
 * One family of Bedrock embedding models (Titan Text, Titan Multimodal,
 * Cohere, Nova): how a request becomes its InvokeModel calls (one per
 * input, or batches) and how each call's answer is read.
 */
export interface EmbeddingFamily<Body = unknown> {
  /** Whether inputs may be images. */
  readonly takesImages: boolean;
  /** The calls that embed the inputs; refuses what the model has no field for. */
  calls(inputs: readonly EmbeddingInput[], request: CreateEmbeddingsRequest, modelId: string): EmbeddingCall<Body>[];
  /** Reads the answer to a call that embedded `count` inputs. */
  read(answer: unknown, count: number): EmbeddingAnswer;
}

/** Refuses a parameter the model's body has no field for. */
export function unsupportedParameter(param: string, modelId: string, why: string): InvalidRequestError {
  return new InvalidRequestError(`'${param}' is not supported by '${modelId}': ${why}.`, {
    param,
    code: "unsupported_parameter",
  });
}

/** `normalize` belongs to Titan Text Embeddings v2; every other model refuses it. */
export function refuseNormalize(request: CreateEmbeddingsRequest, modelId: string): void {
  if (request.normalize !== undefined) {
    throw unsupportedParameter("normalize", modelId, "only Titan Text Embeddings v2 takes it");
  }
}

const isNumbers = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((item) => typeof item === "number");

/** The vectors of an answer, which must be `count` lists of numbers. */
export function vectorsIn(value: unknown, count: number): number[][] {
  if (Array.isArray(value) && value.length === count && value.every(isNumbers)) return value;
  throw unreadableAnswer(BEDROCK, `the embeddings answer does not give one vector for each of the ${count} inputs`);
}

/** A count the answer may carry; anything else counts as none. */
export function tokenCount(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0;
}

/** The answer as a JSON object (InvokeModel answers are). */
export function answerObject(answer: unknown): Record<string, unknown> {
  if (typeof answer === "object" && answer !== null && !Array.isArray(answer)) return answer as Record<string, unknown>;
  throw unreadableAnswer(BEDROCK, "the embeddings answer is not a JSON object");
}
