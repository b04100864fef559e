import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CurlResult {
  status: number;
  headers: string;
  body: string;
}

/** Runs the real curl; `args` go before the URL. Status and headers come back parsed. */
export async function curl(url: string, args: string[] = []): Promise<CurlResult> {
  const marker = "\n--curl-status--";
  const { stdout } = await run("curl", ["-sS", "-D", "-", "-w", `${marker}%{http_code}`, ...args, url], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const at = stdout.lastIndexOf(marker);
  const text = stdout.slice(0, at);
  const status = Number(stdout.slice(at + marker.length));
  // Header blocks end at the last blank line before the body (1xx blocks come first).
  const split = text.lastIndexOf("\r\n\r\n");
  return { status, headers: text.slice(0, split), body: text.slice(split + 4) };
}
