import type { HandlerContext } from "@connectrpc/connect";
import type { TransportProtocol } from "../../core/chat-observer.js";

// connect-node names its three protocols `grpc`, `grpc-web` and `connect`.
const BY_NAME: Readonly<Record<string, TransportProtocol>> = {
  grpc: "grpc",
  "grpc-web": "grpc_web",
  connect: "connect",
};

/** Which of the RPC protocols a call came in on, as the core's metrics name it. */
export function callProtocol(context: HandlerContext): TransportProtocol {
  return BY_NAME[context.protocolName] ?? "connect";
}
