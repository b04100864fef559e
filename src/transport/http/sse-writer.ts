import { once } from "node:events";
import type { CallTiming } from "../../core/call-timing.js";
import type { StreamEvent } from "../../dialects/dialect.js";
import type { NodeResponse } from "./node-http.js";

/** One Server-Sent Event: the event's name, if it has one, and its data, JSON unless it is text already. */
function frame({ event, data }: StreamEvent): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return event === undefined ? `data: ${payload}\n\n` : `event: ${event}\ndata: ${payload}\n\n`;
}

/**
 * Writes Server-Sent Events. Waits for the socket to drain when the client
 * reads slowly, so a stream never piles up in memory, and stops writing once
 * the client has gone.
 */
export class SseWriter {
  readonly #response: NodeResponse;
  readonly #signal: AbortSignal;
  readonly #timing: CallTiming | undefined;

  constructor(response: NodeResponse, signal: AbortSignal, timing?: CallTiming) {
    this.#response = response;
    this.#signal = signal;
    this.#timing = timing;
  }

  start(): void {
    // No `connection` header: it is forbidden on HTTP/2.
    this.#response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      // Known only once the stream is complete: it follows the events as a trailer.
      ...(this.#timing ? { trailer: "server-timing" } : {}),
    });
  }

  async send(events: readonly StreamEvent[]): Promise<void> {
    if (events.length === 0 || this.#signal.aborted || this.#response.writableEnded) return;
    const text = events.map(frame).join("");
    if (!this.#response.write(text)) {
      try {
        await once(this.#response, "drain", { signal: this.#signal });
      } catch {
        // The client left while we waited; the caller sees the aborted signal.
      }
    }
  }

  end(): void {
    if (this.#response.writableEnded) return;
    if (this.#timing && !this.#signal.aborted)
      this.#response.addTrailers({ "server-timing": this.#timing.serverTiming() });
    this.#response.end();
  }
}
