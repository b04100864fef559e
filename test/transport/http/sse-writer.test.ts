import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { StreamEvent } from "../../../src/dialects/dialect.js";
import { SseWriter } from "../../../src/transport/http/sse-writer.js";
import { serve, type TestServer } from "../../helpers/http-server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves one SSE response written by `write`, and answers what a client reads. */
async function exchange(write: (sse: SseWriter, controller: AbortController) => Promise<void>) {
  server = await serve((_request, response) => {
    const controller = new AbortController();
    const sse = new SseWriter(response, controller.signal);
    sse.start();
    void write(sse, controller).finally(() => sse.end());
  });
  const response = await fetch(server.url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe("SseWriter", () => {
  it("answers 200 with the event-stream headers", async () => {
    const { status, headers, body } = await exchange(async () => {});
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(headers.get("cache-control")).toBe("no-cache");
    expect(headers.get("x-accel-buffering")).toBe("no");
    expect(body).toBe("");
  });

  it("frames each event as `data: <json>` and a blank line", async () => {
    const events: StreamEvent[] = [{ data: { id: "chatcmpl-1", choices: [] } }, { data: { text: "line\nbreak" } }];
    const { body } = await exchange((sse) => sse.send(events));
    expect(body).toBe('data: {"id":"chatcmpl-1","choices":[]}\n\ndata: {"text":"line\\nbreak"}\n\n');
  });

  it("sends a text payload as it is, and names an event when asked", async () => {
    const { body } = await exchange(async (sse) => {
      await sse.send([{ data: "[DONE]" }]);
      await sse.send([{ event: "error", data: { error: { message: "x" } } }]);
    });
    expect(body).toBe('data: [DONE]\n\nevent: error\ndata: {"error":{"message":"x"}}\n\n');
  });

  it("writes nothing for no events, and nothing once the response ended", async () => {
    const { body } = await exchange(async (sse) => {
      await sse.send([]);
      await sse.send([{ data: "first" }]);
      sse.end();
      sse.end();
      await sse.send([{ data: "after the end" }]);
    });
    expect(body).toBe("data: first\n\n");
  });

  it("writes nothing once the client has gone", async () => {
    const { body } = await exchange(async (sse, controller) => {
      await sse.send([{ data: "before" }]);
      controller.abort();
      await sse.send([{ data: "after" }]);
    });
    expect(body).toBe("data: before\n\n");
  });

  it("waits for a slow reader, and stops waiting when the client goes", async () => {
    const controller = new AbortController();
    let sent: (sending: { waiting: Promise<void>; needDrain: boolean }) => void = () => {};
    const sending = new Promise<{ waiting: Promise<void>; needDrain: boolean }>((resolve) => {
      sent = resolve;
    });
    server = await serve((_request, response) => {
      const sse = new SseWriter(response, controller.signal);
      sse.start();
      // Far more than the socket buffers hold while the client reads nothing.
      const waiting = sse.send([{ data: "x".repeat(16 * 1024 * 1024) }]);
      sent({ waiting, needDrain: response.writableNeedDrain });
    });
    const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
    socket.on("error", () => {});
    socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    socket.pause();
    try {
      const { waiting, needDrain } = await sending;
      expect(needDrain).toBe(true);
      let settled = false;
      void waiting.then(() => {
        settled = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      controller.abort();
      await expect(waiting).resolves.toBeUndefined();
    } finally {
      socket.destroy();
    }
  });
});
