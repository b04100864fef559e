import { fromUtf8, toUtf8 } from "@smithy/core/serde";
import { EventStreamCodec, type Message } from "@smithy/eventstream-codec";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const PRELUDE_BYTES = 4;

/**
 * Splits an `application/vnd.amazon.eventstream` body into its messages as
 * the bytes arrive: a network read may hold part of a message or several,
 * and each message says its own total length. The codec checks both CRCs.
 * Fails as the SDK does on a body that ends inside a message.
 */
export async function* readEventStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<Message> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    let offset = 0;
    while (pending.length - offset >= PRELUDE_BYTES) {
      const total = pending.readUInt32BE(offset);
      if (total > PRELUDE_BYTES && pending.length - offset < total) break;
      // A length too small to be a message is refused by the codec.
      yield codec.decode(pending.subarray(offset, offset + Math.max(total, PRELUDE_BYTES)));
      offset += total;
    }
    pending = pending.subarray(offset);
  }
  if (pending.length > 0) throw new Error("Truncated event message received.");
}
