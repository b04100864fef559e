import type { CallContext } from "../../core/chat-service.js";
import type { EmbeddingService } from "../../core/embedding-service.js";
import { CanceledError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { parseEmbeddingsRequest } from "../../dialects/openai-embeddings/parse-embeddings-request.js";
import { embeddingsJson } from "../../dialects/openai-embeddings/to-embeddings-json.js";
import { clientGoneSignal, type NodeRequest, type NodeResponse, sendJson } from "../http/node-http.js";
import { readJsonBody } from "../http/read-json-body.js";
import { targetHeaderOn } from "../target-header.js";

export interface EmbeddingsRouteDeps {
  embeddings: EmbeddingService;
  logger: Logger;
  maxBodyBytes: number;
}

/**
 * `POST /v1/embeddings`: OpenAI's body in, OpenAI's list of vectors out
 * (JSON numbers, or base64 when `encoding_format` asks for it). Failures are
 * answered in OpenAI's error shape by the routes around it.
 */
export async function handleEmbeddings(
  request: NodeRequest,
  response: NodeResponse,
  deps: EmbeddingsRouteDeps,
): Promise<void> {
  const signal = clientGoneSignal(response, () => new CanceledError("The client closed the connection."));
  const { request: embeddingsRequest, encodingFormat } = parseEmbeddingsRequest(
    await readJsonBody(request, deps.maxBodyBytes),
  );
  deps.logger.debug(
    { inputs: embeddingsRequest.input.length + embeddingsRequest.inputTokens.length },
    "embeddings request read",
  );
  const context: CallContext = {
    protocol: "openai_http",
    signal,
    logger: deps.logger,
    onTarget: targetHeaderOn(response),
  };
  const answer = await deps.embeddings.createEmbeddings(embeddingsRequest, context);
  sendJson(response, 200, embeddingsJson(answer, encodingFormat));
}
