import type { HandlerContext } from "@connectrpc/connect";
import type { CallContext } from "../../core/chat-service.js";
import type { Logger } from "../../core/logger.js";
import { TARGET_HEADER, targetHeaderValue } from "../target-header.js";
import { callProtocol } from "./call-protocol.js";

/** What the core is told about an RPC: its protocol, signal, log (with the call's id) and where to name its target. */
export function rpcCallContext(ctx: HandlerContext, logger: Logger): CallContext {
  return {
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
  };
}
