import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { registerSecrets } from "../src/core/redact-secrets.js";
import { createLogger } from "../src/logging.js";

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger("info", sink), text: () => lines.join("") };
}

describe("the server's logger", () => {
  it("scrubs secrets from whatever it writes, error causes included", () => {
    const secret = "configured-upstream-secret-4242";
    const forget = registerSecrets(secret, "k3y", 'q"t');
    const { logger, text } = capture();
    const cause = new Error(`upstream said: bad key ${secret}; Authorization: Bearer abcdefgh12345678`);
    logger.warn({ err: new Error("request failed", { cause }) }, `while using ${secret}`);
    // Short secrets, one of which the JSON line escapes.
    logger.warn({ key: "k3y", quoted: 'q"t' }, "short ones");
    forget();
    const written = text();
    expect(written).toContain("upstream said: bad key ***");
    expect(written).not.toContain(secret);
    expect(written).not.toContain("abcdefgh12345678");
    expect(written).not.toMatch(/k3y|q\\"t/);
    expect(written).toContain('"key":"***","quoted":"***"');
  });

  it("writes one JSON object per line", () => {
    const { logger, text } = capture();
    logger.info({ path: "/health" }, "request");
    expect(JSON.parse(text())).toMatchObject({ level: 30, service: "open-bedrock", path: "/health", msg: "request" });
  });
});
