import { InvalidRequestError } from "./errors.js";

/*
 * A model makes either chat completions or embeddings. Providers know which
 * from the model's id; these are the errors they answer when a request asks
 * a model for the other kind, worded once for every provider.
 */

/** A chat request names a model that makes embeddings. */
export function notAChatModel(model: string): InvalidRequestError {
  return new InvalidRequestError(
    `The model '${model}' makes embeddings, not chat completions: send it to the embeddings API (POST /v1/embeddings, or openbedrock.v1.EmbeddingService/CreateEmbeddings).`,
    { param: "model", code: "model_not_supported" },
  );
}

/** An embeddings request names a model that makes chat completions (or no embeddings). */
export function notAnEmbeddingModel(model: string, hint = ""): InvalidRequestError {
  return new InvalidRequestError(
    `The model '${model}' is not an embedding model${hint}: it cannot answer an embeddings request.`,
    { param: "model", code: "model_not_supported" },
  );
}
