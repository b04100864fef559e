import type { ChatService } from "../../core/chat-service.js";
import { ModelNotFoundError } from "../../core/errors.js";
import { modelListJson } from "../../dialects/openai-chat/to-openai-json.js";
import { type NodeResponse, sendJson } from "../http/node-http.js";

const HTTP_CALL = { protocol: "openai_http" } as const;

/** `GET /v1/models`: OpenAI's list shape. */
export async function handleListModels(response: NodeResponse, chat: ChatService): Promise<void> {
  sendJson(response, 200, modelListJson(await chat.listModels(HTTP_CALL)));
}

/** `GET /v1/models/{id}`: one model of the list, as OpenAI's retrieve. */
export async function handleRetrieveModel(response: NodeResponse, chat: ChatService, id: string): Promise<void> {
  const model = modelListJson(await chat.listModels(HTTP_CALL)).data.find((entry) => entry.id === id);
  if (!model) throw new ModelNotFoundError(`The model '${id}' does not exist.`, { param: "model" });
  sendJson(response, 200, model);
}
