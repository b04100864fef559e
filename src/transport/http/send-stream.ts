import type { ChatCompletionChunk } from "../../../gen/openbedrock/v1/chat_pb.js";
import type { CallTiming } from "../../core/call-timing.js";
import { GatewayError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { StreamWriter } from "../../dialects/dialect.js";
import { noteFailure } from "../request-failure.js";
import type { NodeResponse } from "./node-http.js";
import { SseWriter } from "./sse-writer.js";

/**
 * Sends a stream of chunks as SSE in a dialect's events. The first chunk is
 * awaited before any header goes out, so a request that fails at once
 * (unknown model, upstream 429) still gets its proper HTTP status; a later
 * failure ends the stream with the dialect's error event. With a timing,
 * the stream's `server-timing` follows it as a trailer.
 */
export async function sendStream<Item = ChatCompletionChunk>(
  chunks: AsyncGenerator<Item>,
  writer: StreamWriter<Item>,
  response: NodeResponse,
  signal: AbortSignal,
  logger: Logger,
  timing?: CallTiming,
): Promise<void> {
  const first = await chunks.next();
  const sse = new SseWriter(response, signal, timing);
  sse.start();
  try {
    for (let next = first; !next.done; next = await chunks.next()) {
      await sse.send(writer.chunk(next.value));
      if (signal.aborted) return;
    }
    await sse.send(writer.end());
  } catch (failure) {
    if (signal.aborted) return;
    const error = GatewayError.from(failure);
    noteFailure(response, error);
    logger.warn({ err: error }, "stream failed after it started");
    await sse.send(writer.error(error));
  } finally {
    sse.end();
    await chunks.return(undefined);
  }
}
