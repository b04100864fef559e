import { describe, expect, it } from "vitest";
import { ConfigSources } from "../../src/config/config-sources.js";
import { InvalidSettingError } from "../../src/config/invalid-setting-error.js";
import { loadConfig } from "../../src/config/load-config.js";

const noFiles = { envFile: "/nonexistent/.env", configFile: "/nonexistent/config.json" };

describe("command-line overrides", () => {
  it("come before the environment", () => {
    const sources = new ConfigSources({ ...noFiles, env: { PORT: "7000" }, overrides: { PORT: "9000" } });
    expect(sources.get("PORT")).toEqual({ value: "9000", origin: "command line" });
    expect(sources.get("HOST")).toBeUndefined();
  });

  it("are checked like every other source, and hide a bad value below them", () => {
    const config = loadConfig({ ...noFiles, env: { PORT: "not-a-port" }, overrides: { PORT: "0", HOST: "::1" } });
    expect(config.port).toBe(0);
    expect(config.host).toBe("::1");
    expect(() => loadConfig({ ...noFiles, env: {}, overrides: { PORT: "x" } })).toThrow(
      new InvalidSettingError("PORT (from the command line) must be a whole number from 0 to 65535."),
    );
  });
});
