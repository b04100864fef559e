/*
 * Which OpenAI models make embeddings and which chat, by the ids OpenAI
 * gives them. An id neither rule knows (an OpenAI-compatible server's own
 * models) is sent as it is and the upstream decides.
 */

const EMBEDDING_MODEL = /^text-embedding-/;
const CHAT_MODEL = /^(?:gpt-|chatgpt-|o\d)/;

export function isOpenAIEmbeddingModel(modelId: string): boolean {
  return EMBEDDING_MODEL.test(modelId);
}

export function isOpenAIChatModel(modelId: string): boolean {
  return CHAT_MODEL.test(modelId);
}
