import type { ConnectRouter } from "@connectrpc/connect";
import { EmbeddingService as EmbeddingServiceDescriptor } from "../../../gen/openbedrock/v1/embedding_pb.js";
import type { EmbeddingService } from "../../core/embedding-service.js";
import type { Logger } from "../../core/logger.js";
import { rpcCallContext } from "./rpc-call-context.js";
import { toConnectError } from "./to-connect-error.js";

/** `openbedrock.v1.EmbeddingService` for gRPC, gRPC-Web and Connect: a thin adapter over the core. */
export function embeddingServiceRoutes(embeddings: EmbeddingService, logger: Logger) {
  return (router: ConnectRouter) => {
    router.service(EmbeddingServiceDescriptor, {
      async createEmbeddings(request, ctx) {
        try {
          return await embeddings.createEmbeddings(request, rpcCallContext(ctx, logger));
        } catch (error) {
          throw toConnectError(error, ctx.signal);
        }
      },
    });
  };
}
