/**
 * A health check that needs no shell and no curl, for images that have
 * neither (the Dockerfile's HEALTHCHECK): asks the server on this machine
 * whether it is ready (`GET /health/ready`, on the port and scheme the
 * settings give) and exits 0 if it is, 1 if not.
 *
 *   node dist/src/health-probe.js
 */
import http from "node:http";
import https from "node:https";
import { loadConfig } from "./config/load-config.js";

const TIMEOUT_MS = 3000;

/** Where the server that these settings start can be reached from this machine. */
function probeHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}

function probe(): Promise<number> {
  const config = loadConfig();
  const client = config.tls ? https : http;
  return new Promise((resolve) => {
    const request = client.get(
      {
        host: probeHost(config.host),
        port: config.port,
        path: "/health/ready",
        timeout: TIMEOUT_MS,
        // The certificate names the service, not this loopback address.
        rejectUnauthorized: false,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    request.on("error", (error) => {
      process.stderr.write(`open-bedrock health probe: ${error.message}\n`);
      resolve(0);
    });
  });
}

const status = await probe().catch((error: unknown) => {
  process.stderr.write(`open-bedrock health probe: ${(error as Error).message}\n`);
  return 0;
});
process.exit(status === 200 ? 0 : 1);
