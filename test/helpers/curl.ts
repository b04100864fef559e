import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CurlResult {
  status: number;
  headers: string;
  body: string;
}

/**
 * Runs the real curl; `args` go before the URL. Status and headers come back
 * parsed; the headers (and any trailers, which curl prints after the body)
 * go to a file of their own, so the body is exactly what was sent.
 */
export async function curl(url: string, args: string[] = []): Promise<CurlResult> {
  const marker = "\n--curl-status--";
  const dir = mkdtempSync(join(tmpdir(), "open-bedrock-curl-"));
  try {
    const headerFile = join(dir, "headers");
    const { stdout } = await run("curl", ["-sS", "-D", headerFile, "-w", `${marker}%{http_code}`, ...args, url], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const at = stdout.lastIndexOf(marker);
    const status = Number(stdout.slice(at + marker.length));
    // The last header block is the answer's (1xx blocks come first); trailers follow it.
    const blocks = readFileSync(headerFile, "utf8")
      .split("\r\n\r\n")
      .filter((block) => block.startsWith("HTTP/"));
    return { status, headers: blocks.at(-1) ?? "", body: stdout.slice(0, at) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
