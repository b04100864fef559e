import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigSources, readDotEnv, readUserConfig, userConfigPath } from "../../src/config/config-sources.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "open-bedrock-sources-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("userConfigPath", () => {
  it("uses ~/.config on Linux", () => {
    expect(userConfigPath({ HOME: "/home/ann" }, "linux")).toBe(
      join("/home/ann", ".config", "open-bedrock", "config.json"),
    );
  });

  it("uses XDG_CONFIG_HOME when it is set, on every platform", () => {
    for (const platform of ["linux", "darwin", "win32", "freebsd"] as const) {
      expect(userConfigPath({ HOME: "/home/ann", XDG_CONFIG_HOME: "/xdg" }, platform)).toBe(
        join("/xdg", "open-bedrock", "config.json"),
      );
    }
  });

  it("uses Application Support on macOS", () => {
    expect(userConfigPath({ HOME: "/Users/ann" }, "darwin")).toBe(
      join("/Users/ann", "Library", "Application Support", "open-bedrock", "config.json"),
    );
  });

  it("uses APPDATA on Windows, and the home directory without it", () => {
    expect(userConfigPath({ HOME: "C:/Users/ann", APPDATA: "C:/Users/ann/AppData/Roaming" }, "win32")).toBe(
      join("C:/Users/ann/AppData/Roaming", "open-bedrock", "config.json"),
    );
    expect(userConfigPath({ HOME: "C:/Users/ann" }, "win32")).toBe(
      join("C:/Users/ann", ".config", "open-bedrock", "config.json"),
    );
  });

  it("falls back to the OS's home directory without HOME", () => {
    expect(userConfigPath({}, "linux")).toBe(join(homedir(), ".config", "open-bedrock", "config.json"));
  });

  it("treats an empty XDG_CONFIG_HOME as unset", () => {
    expect(userConfigPath({ HOME: "/home/ann", XDG_CONFIG_HOME: "" }, "linux")).toBe(
      join("/home/ann", ".config", "open-bedrock", "config.json"),
    );
  });
});

describe("readDotEnv", () => {
  it("answers nothing for a missing file", () => {
    expect(readDotEnv(join(dir, "missing.env"))).toEqual({});
  });

  it("reads names and values", () => {
    const file = join(dir, ".env");
    writeFileSync(file, "# comment\nPORT=9000\nHOST='0.0.0.0'\nEMPTY=\n");
    expect(readDotEnv(file)).toEqual({ PORT: "9000", HOST: "0.0.0.0", EMPTY: "" });
  });
});

describe("readUserConfig", () => {
  it("answers nothing for a missing file", () => {
    expect(readUserConfig(join(dir, "missing.json"))).toEqual({});
  });

  it("reads strings, numbers and booleans as text and ignores other values", () => {
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ PORT: 9000, HOST: "::", FLAG: true, LIST: [1], OBJ: {}, NOTHING: null }));
    expect(readUserConfig(file)).toEqual({ PORT: "9000", HOST: "::", FLAG: "true" });
  });
});

describe("ConfigSources", () => {
  function sourcesWith(env: NodeJS.ProcessEnv, dotEnv: string, config: Record<string, unknown>) {
    const envFile = join(dir, ".env");
    const configFile = join(dir, "config.json");
    writeFileSync(envFile, dotEnv);
    writeFileSync(configFile, JSON.stringify(config));
    return new ConfigSources({ env, envFile, configFile });
  }

  it("answers each value with where it came from", () => {
    const sources = sourcesWith({ A: "env" }, "A=dot\nB=dot\n", { A: "file", B: "file", C: "file" });
    expect(sources.get("A")).toEqual({ value: "env", origin: "environment" });
    expect(sources.get("B")).toEqual({ value: "dot", origin: ".env" });
    expect(sources.get("C")).toEqual({ value: "file", origin: "config file" });
    expect(sources.get("D")).toBeUndefined();
  });

  it("skips empty values to the next source", () => {
    const sources = sourcesWith({ A: "", B: "" }, "A=\nB=dot\n", { A: "file" });
    expect(sources.get("A")).toEqual({ value: "file", origin: "config file" });
    expect(sources.get("B")).toEqual({ value: "dot", origin: ".env" });
  });

  it("reads the config file from the environment's user config path by default", () => {
    const xdg = join(dir, "xdg");
    const configFile = join(xdg, "open-bedrock", "config.json");
    mkdirSync(join(xdg, "open-bedrock"), { recursive: true });
    writeFileSync(configFile, JSON.stringify({ PORT: "9100" }));
    const sources = new ConfigSources({ env: { XDG_CONFIG_HOME: xdg }, envFile: join(dir, "none.env") });
    expect(sources.get("PORT")).toEqual({ value: "9100", origin: "config file" });
  });
});
