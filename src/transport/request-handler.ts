import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { ChatService } from "../core/chat-service.js";
import type { EmbeddingService } from "../core/embedding-service.js";
import type { Logger } from "../core/logger.js";
import type { MessagesService } from "../core/messages-service.js";
import type { ApiKeyVerifier } from "./auth.js";
import { authInterceptor, chatServiceRoutes, loggingInterceptor } from "./connect/chat-service-routes.js";
import { embeddingServiceRoutes } from "./connect/embedding-service-routes.js";
import { encodeGrpcMessagesAsSpecified } from "./connect/grpc-message-encoding.js";
import { healthRoutes } from "./connect/health-service.js";
import { leanGrpcChat } from "./connect/lean-grpc-chat.js";
import { reflectionRoutes } from "./connect/reflection-service.js";
import { servedServices } from "./connect/served-services.js";
import { createCors } from "./http/cors.js";
import type { NodeHandler } from "./http/node-http.js";
import { assignRequestId } from "./http/request-id.js";
import { createHttpRoutes, type MetricsText } from "./http-routes.js";

export interface RequestHandlerDeps {
  chat: ChatService;
  embeddings: EmbeddingService;
  messages: MessagesService;
  verifier: ApiKeyVerifier;
  logger: Logger;
  /** Largest request body (and RPC message) accepted. */
  maxBodyBytes: number;
  health: () => unknown;
  /** Fires when the server starts to drain: from then on it reports itself not ready. */
  draining: AbortSignal;
  /** Aborting it ends every running RPC with UNAVAILABLE. */
  shutdownSignal: AbortSignal;
  /** Browser origins allowed by CORS; `*` for any, none to serve no CORS. */
  corsOrigins: readonly string[];
  /** Serve gRPC server reflection. */
  reflection: boolean;
  /** The answer of `GET /metrics`; without it the route does not exist. */
  metrics?: (() => Promise<MetricsText>) | undefined;
}

/**
 * The one handler behind the port, for HTTP/1.1 and HTTP/2 alike: RPC paths
 * go to Connect (gRPC, gRPC-Web, Connect), everything else to the OpenAI
 * HTTP API.
 */
export function createRequestHandler(deps: RequestHandlerDeps): NodeHandler {
  const cors = createCors(deps.corsOrigins);
  const handler = connectNodeAdapter({
    routes: (router) => {
      chatServiceRoutes(deps.chat, deps.logger)(router);
      embeddingServiceRoutes(deps.embeddings, deps.logger)(router);
      // Health and reflection cover every service registered above them, a new one included.
      healthRoutes(deps.draining)(router);
      if (deps.reflection) reflectionRoutes(servedServices(router))(router);
    },
    // The first interceptor sees the call first: log it, then authenticate.
    interceptors: [loggingInterceptor(deps.logger), authInterceptor(deps.verifier)],
    fallback: createHttpRoutes(deps),
    // Connect's JSON then uses the proto's snake_case names: OpenAI's names.
    jsonOptions: { useProtoFieldName: true },
    readMaxBytes: deps.maxBodyBytes,
    writeMaxBytes: deps.maxBodyBytes,
    shutdownSignal: deps.shutdownSignal,
  });
  // gRPC's chat calls, the hot ones, skip Connect's per-call machinery; the same core serves them.
  const grpcChat = leanGrpcChat(deps);
  return (request, response) => {
    assignRequestId(request, response);
    if (cors(request, response)) return;
    if (grpcChat(request, response)) return;
    encodeGrpcMessagesAsSpecified(request, response);
    handler(request, response);
  };
}
