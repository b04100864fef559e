import type { ConnectRouter, HandlerContext, Interceptor } from "@connectrpc/connect";
import { ChatService as ChatServiceDescriptor } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { CallContext, ChatService } from "../../core/chat-service.js";
import type { Logger } from "../../core/logger.js";
import type { ApiKeyVerifier } from "../auth.js";
import { TARGET_HEADER, targetHeaderValue } from "../target-header.js";
import { callProtocol } from "./call-protocol.js";
import { toConnectError } from "./to-connect-error.js";

/** `openbedrock.v1.ChatService` for gRPC, gRPC-Web and Connect: a thin adapter over the core. */
export function chatServiceRoutes(chat: ChatService, logger: Logger) {
  const context = (ctx: HandlerContext): CallContext => ({
    protocol: callProtocol(ctx),
    signal: ctx.signal,
    // Everything the core logs about one call carries its id, as over HTTP.
    logger: logger.child({ requestId: ctx.requestHeader.get("x-request-id") ?? undefined }),
    // Response metadata goes out with the first message (or the status): a stream's first chunk comes after this.
    onTarget: (target) => {
      const value = targetHeaderValue(target);
      if (value === undefined) ctx.responseHeader.delete(TARGET_HEADER);
      else ctx.responseHeader.set(TARGET_HEADER, value);
    },
  });
  return (router: ConnectRouter) => {
    router.service(ChatServiceDescriptor, {
      async createChatCompletion(request, ctx) {
        try {
          return await chat.createChatCompletion(request, context(ctx));
        } catch (error) {
          throw toConnectError(error, ctx.signal);
        }
      },
      async *streamChatCompletion(request, ctx) {
        try {
          yield* chat.streamChatCompletion(request, context(ctx));
        } catch (error) {
          throw toConnectError(error, ctx.signal);
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

/** Every RPC needs a client key in the `authorization` metadata. */
export function authInterceptor(verifier: ApiKeyVerifier): Interceptor {
  return (next) => async (request) => {
    try {
      verifier.verify(request.header.get("authorization"));
    } catch (error) {
      throw toConnectError(error);
    }
    return next(request);
  };
}

/** One log line per RPC, when it ends, with its gRPC code. */
export function loggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    const started = performance.now();
    const log = (error?: unknown) => {
      const code = error === undefined ? 0 : toConnectError(error).code;
      logger.info(
        {
          requestId: request.header.get("x-request-id") ?? undefined,
          rpc: `${request.service.typeName}/${request.method.name}`,
          code,
          ms: Math.round(performance.now() - started),
        },
        "rpc",
      );
    };
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
