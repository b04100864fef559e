import { ConnectError } from "@connectrpc/connect";
import { GatewayError } from "../../core/errors.js";
import { redactSecrets } from "../../core/redact-secrets.js";

/**
 * The gRPC/Connect form of any failure: the class's gRPC code and message.
 * When the call's own signal fired (deadline, client cancel, shutdown),
 * Connect's reason for it is what the client must see.
 */
export function toConnectError(error: unknown, signal?: AbortSignal): ConnectError {
  if (signal?.aborted && signal.reason instanceof ConnectError) return signal.reason;
  if (error instanceof ConnectError) return error;
  const gateway = GatewayError.from(error);
  const metadata: Record<string, string> = {};
  if (gateway.retryAfterSeconds !== undefined) metadata["retry-after"] = String(Math.ceil(gateway.retryAfterSeconds));
  // The original stays as the cause, for the call's log line; clients see only the message.
  return new ConnectError(redactSecrets(gateway.message), gateway.grpcCode, metadata, undefined, gateway);
}
