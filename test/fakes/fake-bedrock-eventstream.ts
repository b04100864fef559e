/**
 * The binary `application/vnd.amazon.eventstream` framing Bedrock streams in,
 * built and read with the AWS codec (`@smithy/eventstream-codec`): event
 * frames with the random `p` padding real payloads carry, exception frames,
 * and unmodeled error frames.
 */
import { EventStreamCodec, type Message, type MessageHeaders } from "@smithy/eventstream-codec";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const codec = new EventStreamCodec(
  (input) => (typeof input === "string" ? input : decoder.decode(input)),
  (input) => encoder.encode(input),
);

const PADDING_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A prefix of the alphabet of random length, as AWS pads every data event. */
export function padding(): string {
  return PADDING_ALPHABET.slice(0, 2 + Math.floor(Math.random() * 58));
}

function stringHeaders(values: Record<string, string>): MessageHeaders {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { type: "string", value }]));
}

function frame(headers: Record<string, string>, payload: string): Uint8Array {
  return codec.encode({ headers: stringHeaders(headers), body: encoder.encode(payload) });
}

/** An event frame; the payload gets a `p` padding key. */
export function eventFrame(eventType: string, payload: Record<string, unknown>): Uint8Array {
  return frame(
    { ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" },
    JSON.stringify({ ...payload, p: padding() }),
  );
}

/** An InvokeModelWithResponseStream `chunk`: the model's event, base64 in `bytes`. */
export function chunkFrame(modelEvent: unknown): Uint8Array {
  return eventFrame("chunk", { bytes: Buffer.from(JSON.stringify(modelEvent)).toString("base64") });
}

/** A modeled error mid-stream, e.g. `throttlingException`. */
export function exceptionFrame(exceptionType: string, body: Record<string, unknown>): Uint8Array {
  return frame(
    { ":exception-type": exceptionType, ":content-type": "application/json", ":message-type": "exception" },
    JSON.stringify(body),
  );
}

/** An unmodeled error mid-stream (`:message-type: error`). */
export function errorFrame(code: string, message: string): Uint8Array {
  return frame({ ":message-type": "error", ":error-code": code, ":error-message": message }, "");
}

/** Splits a whole event-stream body into its messages. */
export function decodeFrames(body: Uint8Array): Message[] {
  const messages: Message[] = [];
  let offset = 0;
  while (offset < body.length) {
    const view = new DataView(body.buffer, body.byteOffset + offset);
    const length = view.getUint32(0);
    messages.push(codec.decode(body.subarray(offset, offset + length)));
    offset += length;
  }
  return messages;
}

export function headerValue(message: Message, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === "string" ? header.value : undefined;
}

/** The JSON payload of a frame, with the padding removed. */
export function framePayload(message: Message): Record<string, unknown> {
  const text = decoder.decode(message.body);
  if (text === "") return {};
  const { p: _padding, ...payload } = JSON.parse(text) as Record<string, unknown>;
  return payload;
}

/** The model event inside an invoke-stream `chunk` frame. */
export function chunkEvent(message: Message): unknown {
  const { bytes } = framePayload(message) as { bytes: string };
  return JSON.parse(Buffer.from(bytes, "base64").toString("utf8"));
}
