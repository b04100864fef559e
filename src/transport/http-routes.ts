import type { ChatService } from "../core/chat-service.js";
import type { EmbeddingService } from "../core/embedding-service.js";
import { GatewayError, MethodNotAllowedError, RouteNotFoundError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { MessagesService } from "../core/messages-service.js";
import { anthropicMessages } from "../dialects/anthropic-messages/anthropic-messages-dialect.js";
import { errorAnswer } from "../dialects/openai-chat/error-body.js";
import { handleCountTokens, handleMessages } from "./anthropic/messages-route.js";
import { type ApiKeyVerifier, HOW_ANTHROPIC } from "./auth.js";
import {
  header,
  type NodeHandler,
  type NodeRequest,
  type NodeResponse,
  requestUrl,
  sendJson,
} from "./http/node-http.js";
import { requestIdOf } from "./http/request-id.js";
import { handleChatCompletions } from "./openai/chat-completions-route.js";
import { handleEmbeddings } from "./openai/embeddings-route.js";
import { handleListModels, handleRetrieveModel } from "./openai/models-route.js";
import { failureOf, noteFailure, summarizeFailure } from "./request-failure.js";

/** A metrics exposition: its media type and text. */
export interface MetricsText {
  contentType: string;
  body: string;
}

export interface HttpRoutesDeps {
  chat: ChatService;
  embeddings: EmbeddingService;
  messages: MessagesService;
  verifier: ApiKeyVerifier;
  logger: Logger;
  maxBodyBytes: number;
  /** The body of `GET /health` and its views. */
  health: () => unknown;
  /** Fires when the server starts to drain: `/health/ready` answers 503 from then on. */
  draining: AbortSignal;
  /** The answer of `GET /metrics`; without it the route does not exist. */
  metrics?: (() => Promise<MetricsText>) | undefined;
}

function unknownUrl(method: string, path: string): RouteNotFoundError {
  return new RouteNotFoundError(`Unknown request URL: ${method} ${path}.`, { code: "unknown_url" });
}

/** Anthropic's routes: keys in `x-api-key` too, and errors in Anthropic's shape. */
const ANTHROPIC_PATHS = /^\/v1\/messages(?:\/|$)/;

/** `/health` (liveness, with what is configured), `/health/live` and `/health/ready`. */
const HEALTH_VIEWS = /^\/health(?:\/(live|ready))?\/?$/;

/**
 * The client key as an Authorization header value. Anthropic's clients
 * send it as `x-api-key` (Claude Code with ANTHROPIC_API_KEY), or as a
 * bearer token (ANTHROPIC_AUTH_TOKEN); on Anthropic's routes either works.
 */
function clientKey(request: NodeRequest, anthropic: boolean): string | undefined {
  const apiKey = anthropic ? header(request, "x-api-key")?.trim() : undefined;
  return apiKey ? `Bearer ${apiKey}` : header(request, "authorization");
}

type Route = (request: NodeRequest, response: NodeResponse, match: string[]) => Promise<void>;

/**
 * The OpenAI HTTP API and `/health`: everything on the port that is not an
 * RPC. Every `/v1` route needs a client key.
 */
export function createHttpRoutes(deps: HttpRoutesDeps): NodeHandler {
  const routes: [method: string, path: RegExp, route: Route][] = [
    [
      "POST",
      /^\/v1\/chat\/completions\/?$/,
      // Everything logged about one chat request carries its id.
      (req, res) =>
        handleChatCompletions(req, res, { ...deps, logger: deps.logger.child({ requestId: requestIdOf(req) }) }),
    ],
    [
      "POST",
      /^\/v1\/embeddings\/?$/,
      (req, res) => handleEmbeddings(req, res, { ...deps, logger: deps.logger.child({ requestId: requestIdOf(req) }) }),
    ],
    [
      "POST",
      /^\/v1\/messages\/?$/,
      (req, res) => handleMessages(req, res, { ...deps, logger: deps.logger.child({ requestId: requestIdOf(req) }) }),
    ],
    [
      "POST",
      /^\/v1\/messages\/count_tokens\/?$/,
      (req, res) =>
        handleCountTokens(req, res, { ...deps, logger: deps.logger.child({ requestId: requestIdOf(req) }) }),
    ],
    ["GET", /^\/v1\/models\/?$/, (_req, res) => handleListModels(res, deps.chat)],
    [
      "GET",
      /^\/v1\/models\/(.+)$/,
      (_req, res, [id]) => handleRetrieveModel(res, deps.chat, decodeURIComponent(id ?? "")),
    ],
  ];

  async function dispatch(request: NodeRequest, response: NodeResponse): Promise<void> {
    const path = requestUrl(request).pathname;
    const method = request.method ?? "GET";
    const health = HEALTH_VIEWS.exec(path);
    if (health) {
      if (method !== "GET" && method !== "HEAD") throw new MethodNotAllowedError(`Use GET for ${path}.`);
      // Alive while the process runs; ready only until it starts to drain, so balancers stop sending work.
      const status = health[1] === "ready" && deps.draining.aborted ? 503 : 200;
      sendJson(response, status, deps.health());
      return;
    }
    if ((path === "/metrics" || path === "/metrics/") && deps.metrics) {
      // Scrapers send the key as any client does (Prometheus: `authorization` in the scrape config).
      deps.verifier.verify(header(request, "authorization"));
      if (method !== "GET" && method !== "HEAD") throw new MethodNotAllowedError(`Use GET for ${path}.`);
      const { contentType, body } = await deps.metrics();
      response.writeHead(200, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
      response.end(body);
      return;
    }
    if (!path.startsWith("/v1/")) {
      throw unknownUrl(method, path);
    }
    const anthropic = ANTHROPIC_PATHS.test(path);
    deps.verifier.verify(clientKey(request, anthropic), anthropic ? HOW_ANTHROPIC : undefined);
    const samePath = routes.filter(([, pattern]) => pattern.test(path));
    const route = samePath.find(([routeMethod]) => routeMethod === method);
    if (!route) {
      if (samePath.length > 0)
        throw new MethodNotAllowedError(`Use ${samePath.map(([m]) => m).join(" or ")} for ${path}.`);
      throw unknownUrl(method, path);
    }
    const match = route[1].exec(path)?.slice(1) ?? [];
    await route[2](request, response, match);
  }

  return (request, response) => {
    const started = performance.now();
    response.once("close", () => {
      const failure = failureOf(response);
      const line = {
        requestId: requestIdOf(request),
        method: request.method,
        path: requestUrl(request).pathname,
        status: response.statusCode,
        ms: Math.round(performance.now() - started),
        completed: response.writableFinished,
        // Why it failed, on the same line: the status alone does not say what the upstream answered.
        ...(failure === undefined ? {} : { error: summarizeFailure(failure) }),
      };
      if (response.statusCode >= 500) deps.logger.warn(line, "request");
      else deps.logger.info(line, "request");
    });
    dispatch(request, response).catch((failure: unknown) => {
      noteFailure(response, failure);
      if (!(failure instanceof GatewayError)) deps.logger.error({ err: failure }, "request failed");
      if (response.headersSent) {
        response.end();
        return;
      }
      const answer = ANTHROPIC_PATHS.test(requestUrl(request).pathname)
        ? anthropicMessages.writeError(GatewayError.from(failure))
        : errorAnswer(failure);
      sendJson(response, answer.status, answer.body, answer.headers);
    });
  };
}
