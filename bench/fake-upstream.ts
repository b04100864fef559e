/**
 * A lean OpenAI-shaped upstream for benchmarks: fixed answers, nothing
 * recorded, so its own cost stays small and constant. A stream goes out one
 * write per chunk, as OpenAI sends them (and as the Bedrock fake sends its
 * frames), so that streams of both compare for the same delivery. Prints
 * its port.
 */
import http from "node:http";

const STREAM_CHUNKS = 20;
const created = 1731679200;

function completion(model: string) {
  return JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "Benchmarks measure what matters.", refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  });
}

function stream(model: string, includeUsage: boolean): string[] {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    })}\n\n`;
  const events = [chunk({ role: "assistant", content: "" }, null)];
  for (let i = 0; i < STREAM_CHUNKS; i++) events.push(chunk({ content: `token${i} ` }, null));
  events.push(chunk({}, "stop"));
  if (includeUsage) {
    events.push(
      `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created, model, choices: [], usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 } })}\n\n`,
    );
  }
  events.push("data: [DONE]\n\n");
  return events;
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ object: "list", data: [{ id: "gpt-4o-mini", object: "model", created, owned_by: "system" }] }),
      );
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      model: string;
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    };
    if (body.stream) {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      for (const event of stream(body.model, body.stream_options?.include_usage === true)) res.write(event);
      res.end();
    } else {
      const payload = completion(body.model);
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
      res.end(payload);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
});
