/**
 * The bench's floor: one bare hop. A pass-through proxy (node:http in,
 * undici out on a keep-alive pool) that forwards each request to the
 * upstream named on the command line and relays the answer as it comes,
 * without reading it. Whatever the gateway costs beyond this is its own
 * work. Prints its port.
 *
 *   node --import tsx bench/floor-proxy.ts http://127.0.0.1:PORT
 */
import http from "node:http";
import { pipeline } from "node:stream/promises";
import { Agent, request } from "undici";

const upstream = process.argv[2] ?? "";
const dispatcher = new Agent({ keepAliveTimeout: 60_000, connections: 128 });
/** Hop-by-hop headers belong to one connection, not to the request. */
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "upgrade"]);

const server = http.createServer(async (req, res) => {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined && !HOP.has(name)) headers[name] = value;
  try {
    const answer = await request(`${upstream}${req.url ?? "/"}`, {
      method: (req.method ?? "GET") as "POST",
      headers,
      body: req,
      dispatcher,
    });
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers))
      if (value !== undefined && !HOP.has(name)) out[name] = value;
    res.writeHead(answer.statusCode, out);
    await pipeline(answer.body, res);
  } catch {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
});
