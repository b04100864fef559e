/**
 * A lean Bedrock Runtime for benchmarks: a fixed Claude answer for
 * InvokeModel and a fixed Claude event stream (binary event-stream frames
 * with the `p` padding, one write per frame as Bedrock sends them) for
 * InvokeModelWithResponseStream. No signature check, nothing recorded, so
 * its own cost stays small and constant. HTTP/1.1 (undici, the load
 * generator) and cleartext HTTP/2 (the AWS SDK's default) on one port,
 * through the server's own one-port listener. Prints its port.
 */
import { fromUtf8, toUtf8 } from "@smithy/core/serde";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { DEFAULT_LIMITS } from "../src/config/load-config.js";
import { createLogger } from "../src/logging.js";
import type { NodeHandler } from "../src/transport/http/node-http.js";
import { OnePortServer } from "../src/transport/one-port-server.js";

export const STREAM_TEXT_DELTAS = 20;
const REQUEST_ID = "b3f1c1de-0000-4000-8000-000000000000";
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const usage = { input_tokens: 12, output_tokens: 5 };

const answer = JSON.stringify({
  id: "msg_bdrk_bench",
  type: "message",
  role: "assistant",
  model: "claude-3-5-sonnet-20240620",
  content: [{ type: "text", text: "Benchmarks measure what matters." }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage,
});

function chunk(event: unknown, padding: number): Uint8Array {
  const payload = {
    bytes: Buffer.from(JSON.stringify(event)).toString("base64"),
    p: "abcdefghijklmnopqrstuvwxyz".slice(0, padding),
  };
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: "chunk" },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: new TextEncoder().encode(JSON.stringify(payload)),
  });
}

const events: unknown[] = [
  {
    type: "message_start",
    message: { ...JSON.parse(answer), content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  ...Array.from({ length: STREAM_TEXT_DELTAS }, (_, i) => ({
    type: "content_block_delta",
    index: 0,
    delta: { type: "text_delta", text: `token${i} ` },
  })),
  { type: "content_block_stop", index: 0 },
  { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 20 } },
  {
    type: "message_stop",
    "amazon-bedrock-invocationMetrics": {
      inputTokenCount: 12,
      outputTokenCount: 20,
      invocationLatency: 100,
      firstByteLatency: 10,
    },
  },
];
const frames = events.map((event, index) => chunk(event, 2 + (index % 20)));

const handler: NodeHandler = (req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    const path = req.url ?? "";
    if (req.method === "POST" && path.endsWith("/invoke-with-response-stream")) {
      res.writeHead(200, {
        "content-type": "application/vnd.amazon.eventstream",
        "x-amzn-bedrock-content-type": "application/json",
        "x-amzn-requestid": REQUEST_ID,
      });
      for (const frame of frames) res.write(frame);
      res.end();
    } else if (req.method === "POST" && path.endsWith("/invoke")) {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(answer)),
        "x-amzn-requestid": REQUEST_ID,
      });
      res.end(answer);
    } else {
      const body = JSON.stringify({ message: `No operation at ${req.method} ${path}.` });
      res.writeHead(404, {
        "content-type": "application/json",
        "x-amzn-errortype": "UnknownOperationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
      });
      res.end(body);
    }
  });
};

const server = new OnePortServer({ handler, logger: createLogger("silent"), limits: DEFAULT_LIMITS });
const address = await server.listen(0, "127.0.0.1");
process.stdout.write(`${address.port}\n`);
