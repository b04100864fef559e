import { Code } from "@connectrpc/connect";
import type { Logger } from "../../core/logger.js";
import { summarizeFailure } from "../request-failure.js";
import { toConnectError } from "./to-connect-error.js";

/** The codes of failures on the server's side or beyond it (the 5xx of gRPC). */
const SERVER_FAULTS = new Set<number>([Code.Internal, Code.Unavailable, Code.DeadlineExceeded, Code.Unknown]);

/** The one log line of an RPC, when it ends: its gRPC code and, when it failed, why. */
export function logRpc(
  logger: Logger,
  call: { requestId: string | undefined; rpc: string; started: number },
  error?: unknown,
): void {
  const failure = error === undefined ? undefined : toConnectError(error);
  const code = failure?.code ?? 0;
  const line = {
    requestId: call.requestId,
    rpc: call.rpc,
    code,
    ms: Math.round(performance.now() - call.started),
    // Why it failed, on the same line; the original error carries the upstream's words.
    ...(failure === undefined ? {} : { error: summarizeFailure(failure.cause ?? failure) }),
  };
  if (SERVER_FAULTS.has(code)) logger.warn(line, "rpc");
  else logger.info(line, "rpc");
}
