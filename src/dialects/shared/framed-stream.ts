import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { GatewayError } from "../../core/errors.js";
import type { StreamEvent, StreamWriter } from "../dialect.js";

/** A dialect's own stream converter: its native events for each chunk, and after the last. */
export interface NativeStream<Event> {
  chunk(chunk: ChatCompletionChunk): Event[];
  end(): Event[];
}

/**
 * A stream writer from a dialect's converter: each native event framed as
 * the dialect sends it, and a failure after the start as one event.
 */
export function framedStream<Event>(
  native: NativeStream<Event>,
  frame: (event: Event) => StreamEvent,
  failure: (error: GatewayError) => StreamEvent,
): StreamWriter {
  return {
    chunk: (chunk) => native.chunk(chunk).map(frame),
    end: () => native.end().map(frame),
    error: (error) => [failure(error)],
  };
}
