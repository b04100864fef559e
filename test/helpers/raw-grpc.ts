/**
 * One gRPC call made by hand over node:http2 (h2c prior knowledge): the
 * request headers are exactly the ones given, so a test can send what a
 * client library would handle itself (a `grpc-timeout` with no client-side
 * deadline behind it) and read the status the server put in the trailers.
 */
import http2 from "node:http2";

export interface RawGrpcAnswer {
  headers: http2.IncomingHttpHeaders;
  /** The trailers (empty when the answer had none). */
  trailers: http2.IncomingHttpHeaders;
  /** The length-prefixed messages of the body, without their prefix. */
  messages: Buffer[];
}

/** gRPC's framing: a flag byte (0: not compressed, 1: compressed), the length, the message. */
export function frame(message: Uint8Array, flags = 0): Buffer {
  const framed = Buffer.alloc(5 + message.length);
  framed[0] = flags;
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

function unframe(body: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  for (let at = 0; at + 5 <= body.length; ) {
    const length = body.readUInt32BE(at + 1);
    messages.push(body.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return messages;
}

export async function rawGrpcCall(
  url: string,
  path: string,
  message: Uint8Array,
  headers: Record<string, string>,
  /** The body exactly as sent, in place of `message` in an uncompressed frame. */
  sentBody?: Uint8Array,
): Promise<RawGrpcAnswer> {
  const session = http2.connect(url);
  try {
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc+proto",
      te: "trailers",
      ...headers,
    });
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders | undefined;
    const body: Buffer[] = [];
    stream.on("response", (received) => {
      responseHeaders = received;
    });
    stream.on("trailers", (received) => {
      trailers = received;
    });
    stream.on("data", (chunk: Buffer) => body.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      stream.on("close", resolve);
      stream.on("error", reject);
    });
    stream.end(sentBody ?? frame(message));
    await ended;
    return { headers: responseHeaders, trailers: trailers ?? {}, messages: unframe(Buffer.concat(body)) };
  } finally {
    session.close();
  }
}
