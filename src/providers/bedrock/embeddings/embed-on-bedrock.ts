import { create } from "@bufbuild/protobuf";
import {
  type CreateEmbeddingsRequest,
  type CreateEmbeddingsResponse,
  CreateEmbeddingsResponseSchema,
} from "../../../../gen/openbedrock/v1/embedding_pb.js";
import { InvalidRequestError } from "../../../core/errors.js";
import { isNeutral } from "../../../core/extension-fields.js";
import { notAnEmbeddingModel } from "../../../core/model-kind.js";
import type { ProviderCall } from "../../../core/provider.js";
import type { BedrockExchange } from "../bedrock-exchange.js";
import { revealedModelId } from "../model-family.js";
import { embeddingFamilyOf } from "./embedding-families.js";
import { type EmbeddingFamily, unsupportedParameter } from "./embedding-family.js";
import { readEmbeddingInputs } from "./embedding-input.js";
import { mapConcurrently } from "./map-concurrently.js";

/** InvokeModel calls of one request running at once, for the models that take one input per call. */
export const EMBEDDING_CONCURRENCY = 8;

function familyOf(modelId: string): EmbeddingFamily {
  const family = embeddingFamilyOf(modelId);
  if (family) return family;
  if (revealedModelId(modelId) === "") {
    throw new InvalidRequestError(
      `The model '${modelId}' does not say which model it runs: for embeddings name the model (or its inference profile) by id.`,
      { param: "model", code: "model_not_supported" },
    );
  }
  throw notAnEmbeddingModel(
    modelId,
    " (Bedrock's are amazon.titan-embed-*, cohere.embed-* and amazon.nova-*-multimodal-embeddings-*)",
  );
}

/** A field this server does not name is OpenAI's: Bedrock has no place for it, so it is refused rather than dropped. */
function refuseOtherFields(request: CreateEmbeddingsRequest, modelId: string): void {
  for (const [key, value] of Object.entries(request.extensions ?? {})) {
    if (!isNeutral(value)) throw unsupportedParameter(key, modelId, "Bedrock embedding models have no such field");
  }
}

/**
 * Embeds a request's inputs with a Bedrock embedding model: its family makes
 * the InvokeModel calls (one per input, or batches), which run at most
 * `concurrency` at a time; the vectors come back in input order, the token
 * counts summed. The first failing call fails the request and stops the rest.
 */
export async function embedOnBedrock(
  exchange: BedrockExchange,
  request: CreateEmbeddingsRequest,
  call: ProviderCall,
  concurrency = EMBEDDING_CONCURRENCY,
): Promise<CreateEmbeddingsResponse> {
  const family = familyOf(call.modelId);
  refuseOtherFields(request, call.modelId);
  const inputs = readEmbeddingInputs(request, call.modelId, family.takesImages);
  const calls = family.calls(inputs, request, call.modelId);
  const answers = await mapConcurrently(calls, concurrency, call.signal, async (each, signal) =>
    family.read(await exchange.invoke(call.modelId, each.body, signal), each.inputs.length),
  );
  const vectors: number[][] = new Array(inputs.length);
  let tokens = 0;
  answers.forEach((answer, callIndex) => {
    calls[callIndex]?.inputs.forEach((input, position) => {
      vectors[input] = answer.vectors[position] ?? [];
    });
    tokens += answer.tokens;
  });
  return create(CreateEmbeddingsResponseSchema, {
    data: vectors.map((embedding, index) => ({ index, embedding })),
    model: call.modelId,
    usage: { promptTokens: tokens, totalTokens: tokens },
  });
}
