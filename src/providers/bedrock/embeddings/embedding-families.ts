import { revealedModelId } from "../model-family.js";
import { COHERE_EMBEDDINGS } from "./cohere-embeddings.js";
import type { EmbeddingFamily } from "./embedding-family.js";
import { NOVA_EMBEDDINGS } from "./nova-embeddings.js";
import { TITAN_MULTIMODAL_EMBEDDINGS } from "./titan-multimodal-embeddings.js";
import { TITAN_TEXT_EMBEDDINGS } from "./titan-text-embeddings.js";

// `<vendor>.<model>` behind an optional geography (`us.`, `eu.`, ...), as in model-family.ts.
const FAMILIES: readonly [RegExp, EmbeddingFamily][] = [
  [/^(?:[a-z-]+\.)?amazon\.titan-embed-(?:text|g1-text)-/, TITAN_TEXT_EMBEDDINGS],
  [/^(?:[a-z-]+\.)?amazon\.titan-embed-image-/, TITAN_MULTIMODAL_EMBEDDINGS],
  [/^(?:[a-z-]+\.)?cohere\.embed-/, COHERE_EMBEDDINGS],
  [/^(?:[a-z-]+\.)?amazon\.nova-[a-z0-9-]*multimodal-embeddings/, NOVA_EMBEDDINGS],
];

/**
 * The embedding family of a Bedrock model id (or of the model an ARN
 * reveals); undefined for a chat model, and for an ARN that reveals no model.
 */
export function embeddingFamilyOf(modelId: string): EmbeddingFamily | undefined {
  const id = revealedModelId(modelId);
  return FAMILIES.find(([pattern]) => pattern.test(id))?.[1];
}
