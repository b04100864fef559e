import type { ConnectRouter, HandlerContext, Interceptor } from "@connectrpc/connect";
import { ChatService as ChatServiceDescriptor } from "../../../gen/openbedrock/v1/chat_pb.js";
import { startCallTiming } from "../../core/call-timing.js";
import type { ChatService } from "../../core/chat-service.js";
import type { Logger } from "../../core/logger.js";
import { type ApiKeyVerifier, KEYLESS_SERVICES } from "../auth.js";
import { rpcCallContext } from "./rpc-call-context.js";
import { logRpc } from "./rpc-log-line.js";
import { toConnectError } from "./to-connect-error.js";

/**
 * `openbedrock.v1.ChatService` for gRPC, gRPC-Web and Connect: a thin adapter
 * over the core. Each chat call's `server-timing` goes back as a trailer.
 */
export function chatServiceRoutes(chat: ChatService, logger: Logger) {
  const context = (ctx: HandlerContext) => rpcCallContext(ctx, logger);
  return (router: ConnectRouter) => {
    router.service(ChatServiceDescriptor, {
      async createChatCompletion(request, ctx) {
        const timing = startCallTiming(ctx.signal);
        try {
          return await chat.createChatCompletion(request, context(ctx));
        } catch (error) {
          throw toConnectError(error, ctx.signal);
        } finally {
          ctx.responseTrailer.set("server-timing", timing.serverTiming());
        }
      },
      async *streamChatCompletion(request, ctx) {
        const timing = startCallTiming(ctx.signal);
        try {
          yield* chat.streamChatCompletion(request, context(ctx));
        } catch (error) {
          throw toConnectError(error, ctx.signal);
        } finally {
          ctx.responseTrailer.set("server-timing", timing.serverTiming());
        }
      },
      async listModels(_request, ctx) {
        try {
          return await chat.listModels(context(ctx));
        } catch (error) {
          throw toConnectError(error, ctx.signal);
        }
      },
    });
  };
}

/** Every RPC needs a client key in the `authorization` metadata, but those of the keyless services. */
export function authInterceptor(verifier: ApiKeyVerifier): Interceptor {
  return (next) => async (request) => {
    if (KEYLESS_SERVICES.has(request.service.typeName)) return next(request);
    try {
      verifier.verify(request.header.get("authorization"));
    } catch (error) {
      throw toConnectError(error);
    }
    return next(request);
  };
}

/** One log line per RPC, when it ends, with its gRPC code and, when it failed, why. */
export function loggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    const call = {
      requestId: request.header.get("x-request-id") ?? undefined,
      rpc: `${request.service.typeName}/${request.method.name}`,
      started: performance.now(),
    };
    const log = (error?: unknown) => logRpc(logger, call, error);
    try {
      const response = await next(request);
      if (!response.stream) {
        log();
        return response;
      }
      const messages = response.message;
      return {
        ...response,
        message: (async function* () {
          try {
            yield* messages;
            log();
          } catch (error) {
            log(error);
            throw error;
          }
        })(),
      };
    } catch (error) {
      log(error);
      throw error;
    }
  };
}
