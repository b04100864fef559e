import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { SETTINGS } from "../../src/config/settings.js";

const empty = { env: {}, envFile: "/nonexistent/.env", configFile: "/nonexistent/config.json" };

describe("loadConfig with nothing set", () => {
  it("starts from the documented defaults", () => {
    const config = loadConfig({ ...empty, env: { OPENAI_API_KEY: "sk-x" } });
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8000,
      defaultOpenAIModel: "gpt-4o-mini",
      logLevel: "info",
      upstreamTimeoutMs: 600_000,
      openai: { apiKey: "sk-x", baseURL: "https://api.openai.com/v1", httpClient: "undici" },
    });
  });

  it("has a valid default for every setting that declares one", () => {
    for (const setting of SETTINGS) {
      if (setting.default !== undefined) expect(setting.check?.(setting.default), setting.name).toBeUndefined();
    }
  });
});
