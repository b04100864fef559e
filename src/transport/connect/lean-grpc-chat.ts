import { once } from "node:events";
import http2, { type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import { promisify } from "node:util";
import { brotliDecompress, gunzip } from "node:zlib";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { parseTimeout, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import {
  ChatCompletionChunkSchema,
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  ChatCompletionResponseSchema,
} from "../../../gen/openbedrock/v1/chat_pb.js";
import { type CallTiming, startCallTiming } from "../../core/call-timing.js";
import type { CallContext, ChatService } from "../../core/chat-service.js";
import type { Logger } from "../../core/logger.js";
import type { ApiKeyVerifier } from "../auth.js";
import { header, type NodeRequest, type NodeResponse } from "../http/node-http.js";
import { targetHeaderOn } from "../target-header.js";
import { encodeGrpcMessage } from "./grpc-message-encoding.js";
import { logRpc } from "./rpc-log-line.js";
import { toConnectError } from "./to-connect-error.js";

export interface LeanGrpcChatDeps {
  chat: ChatService;
  verifier: ApiKeyVerifier;
  logger: Logger;
  /** Largest request message accepted, and largest answer message sent. */
  maxBodyBytes: number;
  /** Aborting it ends every running call with its reason (UNAVAILABLE). */
  shutdownSignal: AbortSignal;
}

const SERVICE = "openbedrock.v1.ChatService";
const METHODS: ReadonlyMap<string, "unary" | "stream"> = new Map([
  [`/${SERVICE}/CreateChatCompletion`, "unary"],
  [`/${SERVICE}/StreamChatCompletion`, "stream"],
]);
const CONTENT_TYPES = new Set(["application/grpc", "application/grpc+proto"]);
const DECOMPRESS: Readonly<Record<string, (bytes: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>>> = {
  gzip: promisify(gunzip),
  br: promisify(brotliDecompress),
};
/** What requests may be compressed with; answers go out uncompressed (identity), which every client reads. */
const ACCEPT_ENCODING = "gzip,br";

/**
 * ChatService's two chat methods over gRPC (`application/grpc`, HTTP/2)
 * without Connect's per-call machinery, which cost two to three times what
 * the whole HTTP API costs per call (see docs/performance.md): the same core
 * calls, errors and log lines as the Connect routes, from Connect's and
 * protobuf-es's own pieces (timeouts, status trailers, codecs). It keeps
 * gRPC's rules: deadlines (`grpc-timeout`), cancellation, trailers-only
 * errors, the message size limit, compressed requests (gzip, br; anything
 * else is UNIMPLEMENTED). Everything else on the port (gRPC-Web, Connect,
 * the other services, health, reflection) stays with Connect.
 *
 * Answers whether it took the request.
 */
export function leanGrpcChat(deps: LeanGrpcChatDeps): (request: NodeRequest, response: NodeResponse) => boolean {
  return (request, response) => {
    if (request.httpVersionMajor !== 2 || request.method !== "POST") return false;
    const kind = METHODS.get(request.url ?? "");
    if (kind === undefined || !CONTENT_TYPES.has(request.headers["content-type"] ?? "")) return false;
    const answer = response as Http2ServerResponse;
    serve(deps, request as Http2ServerRequest, answer, kind).catch((error: unknown) => {
      // Nothing may escape: an unhandled rejection ends the process.
      deps.logger.error({ err: error }, "rpc failed");
      answer.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
    return true;
  };
}

async function serve(
  deps: LeanGrpcChatDeps,
  request: Http2ServerRequest,
  response: Http2ServerResponse,
  kind: "unary" | "stream",
): Promise<void> {
  const call = {
    requestId: header(request, "x-request-id"),
    rpc: `${SERVICE}/${kind === "unary" ? "CreateChatCompletion" : "StreamChatCompletion"}`,
    started: performance.now(),
  };
  const controller = new AbortController();
  const { signal } = controller;
  const onShutdown = () => controller.abort(deps.shutdownSignal.reason);
  if (deps.shutdownSignal.aborted) onShutdown();
  else deps.shutdownSignal.addEventListener("abort", onShutdown, { once: true });
  // The stream's own close (a client's RST_STREAM, a cancel); removed once the call is answered, so
  // while it is in place a close means the client left.
  const onClose = () => controller.abort(new ConnectError("the client cancelled the call", Code.Canceled));
  const { stream } = response;
  stream.once("close", onClose);
  const timeout = parseTimeout(header(request, "grpc-timeout") ?? null, Number.MAX_SAFE_INTEGER);
  const deadline =
    // A deadline beyond what a timer can hold (about 24 days) never comes in practice.
    timeout.timeoutMs === undefined || timeout.timeoutMs > MAX_TIMER_MS
      ? undefined
      : setTimeout(
          () => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded)),
          timeout.timeoutMs,
        );
  let failure: ConnectError | undefined;
  let timing: CallTiming | undefined;
  try {
    if (timeout.error) throw timeout.error;
    // The whole request is read first, as Connect does: a status sent while the client still sends its
    // message ends in a reset that grpc-js reports as INTERNAL, not as the status.
    const message = await readRequest(request, deps.maxBodyBytes, signal);
    deps.verifier.verify(header(request, "authorization"));
    // From the whole request read: the time the client takes to send it is not the gateway's.
    timing = startCallTiming(signal);
    const context: CallContext = {
      protocol: "grpc",
      signal,
      // Everything the core logs about one call carries its id, as on the Connect routes.
      logger: deps.logger.child({ requestId: call.requestId }),
      // Response metadata: set until the head goes out (a trailers-only answer copies it too).
      onTarget: targetHeaderOn(response),
    };
    if (kind === "unary") {
      const answer = await deps.chat.createChatCompletion(message, context);
      signal.throwIfAborted();
      const body = envelope(toBinary(ChatCompletionResponseSchema, answer), deps.maxBodyBytes);
      response.writeHead(200, ANSWER_HEADERS);
      response.addTrailers({ "grpc-status": "0", "server-timing": timing.serverTiming() });
      response.end(body);
      return;
    }
    for await (const chunk of deps.chat.streamChatCompletion(message, context)) {
      if (!response.headersSent) response.writeHead(200, ANSWER_HEADERS);
      if (!response.write(envelope(toBinary(ChatCompletionChunkSchema, chunk), deps.maxBodyBytes))) {
        await once(response, "drain", { signal });
      }
    }
    signal.throwIfAborted();
    if (!response.headersSent) response.writeHead(200, ANSWER_HEADERS);
    response.addTrailers({ "grpc-status": "0", "server-timing": timing.serverTiming() });
    response.end();
  } catch (error) {
    failure = toConnectError(error, signal);
    endWithError(response, failure, timing?.serverTiming());
  } finally {
    clearTimeout(deadline);
    deps.shutdownSignal.removeEventListener("abort", onShutdown);
    stream.off("close", onClose);
    logRpc(deps.logger, call, failure);
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const ANSWER_HEADERS = { "content-type": "application/grpc", "grpc-accept-encoding": ACCEPT_ENCODING };

/** The one request message: its envelope read, checked against the size limit, decompressed and decoded. */
async function readRequest(
  request: Http2ServerRequest,
  maxBytes: number,
  signal: AbortSignal,
): Promise<ChatCompletionRequest> {
  const encoding = header(request, "grpc-encoding") ?? "identity";
  const decompress = DECOMPRESS[encoding];
  if (encoding !== "identity" && decompress === undefined) {
    throw new ConnectError(
      `unknown compression "${encoding}": supported encodings are ${ACCEPT_ENCODING}`,
      Code.Unimplemented,
      { "grpc-accept-encoding": ACCEPT_ENCODING },
    );
  }
  const body = await readBody(request, maxBytes + 5, signal);
  if (body.length < 5) throw new ConnectError("protocol error: missing input message", Code.InvalidArgument);
  const flags = body[0] ?? 0;
  const length = body.readUInt32BE(1);
  if (length > maxBytes) {
    throw new ConnectError(
      `message size ${length} is larger than configured readMaxBytes ${maxBytes}`,
      Code.ResourceExhausted,
    );
  }
  if (body.length !== 5 + length || (flags & ~1) !== 0) {
    throw new ConnectError(
      "protocol error: expected exactly one input message in a valid envelope",
      Code.InvalidArgument,
    );
  }
  let bytes = body.subarray(5);
  if ((flags & 1) === 1) {
    if (decompress === undefined) {
      // INTERNAL, as the gRPC spec asks.
      throw new ConnectError("received compressed envelope without a grpc-encoding", Code.Internal);
    }
    try {
      bytes = await decompress(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        throw new ConnectError(`message is larger than configured readMaxBytes ${maxBytes}`, Code.ResourceExhausted);
      }
      throw new ConnectError(`decompress ${encoding}: ${(error as Error).message}`, Code.InvalidArgument);
    }
  }
  try {
    return fromBinary(ChatCompletionRequestSchema, bytes);
  } catch (error) {
    throw new ConnectError(`parse binary: ${(error as Error).message}`, Code.Internal);
  }
}

/** The request body, whole; fails with RESOURCE_EXHAUSTED once it grows past `limit`. */
function readBody(request: Http2ServerRequest, limit: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: unknown) => {
      request.off("data", onData);
      request.off("end", onEnd);
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done(
          new ConnectError(`message size is larger than configured readMaxBytes ${limit - 5}`, Code.ResourceExhausted),
        );
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onAbort = () => done(signal.reason);
    request.on("data", onData);
    request.once("end", onEnd);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** A message in gRPC's length-prefixed framing (uncompressed). */
function envelope(bytes: Uint8Array, maxBytes: number): Buffer {
  if (bytes.length > maxBytes) {
    throw new ConnectError(
      `message size ${bytes.length} exceeds configured writeMaxBytes ${maxBytes}`,
      Code.ResourceExhausted,
    );
  }
  const framed = Buffer.allocUnsafe(5 + bytes.length);
  framed[0] = 0;
  framed.writeUInt32BE(bytes.length, 1);
  framed.set(bytes, 5);
  return framed;
}

/**
 * Ends the call with a failure: in the trailers once an answer has begun,
 * else as a trailers-only answer (its status in the headers). The message is
 * in gRPC's own percent-encoding.
 */
function endWithError(response: Http2ServerResponse, error: ConnectError, serverTiming: string | undefined): void {
  // A client that left (a cancel, a shutdown's closed session) hears nothing more.
  if (response.writableEnded || response.destroyed || response.stream.destroyed || response.stream.closed) return;
  const status: Record<string, string> = serverTiming === undefined ? {} : { "server-timing": serverTiming };
  setTrailerStatus(new Headers(), error).forEach((value, key) => {
    status[key] = key === "grpc-message" ? encodeGrpcMessage(error.rawMessage) : value;
  });
  if (response.headersSent) {
    response.addTrailers(status);
    response.end();
    return;
  }
  // Trailers-only: one HEADERS frame that ends the stream (Node's compatibility API cannot send one).
  response.stream.respond(
    { ...response.getHeaders(), ":status": 200, ...ANSWER_HEADERS, ...status },
    { endStream: true },
  );
}
