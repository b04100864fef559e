import { describe, expect, it } from "vitest";
import { CliError, UsageError } from "../../src/cli/cli-error.js";
import { DEFAULT_SERVER_URL, parseServerUrl, resolveServerTarget } from "../../src/cli/server-target.js";

// XDG_CONFIG_HOME points nowhere, so no user config file takes part.
const env = { XDG_CONFIG_HOME: "/nonexistent/open-bedrock-test" };

describe("the server a command talks to", () => {
  it("defaults to where a server with the default settings listens, and drops a trailing slash", () => {
    expect(resolveServerTarget({ apiKey: "k" }, env).serverUrl).toBe(DEFAULT_SERVER_URL);
    expect(DEFAULT_SERVER_URL).toBe("http://127.0.0.1:8000");
    expect(parseServerUrl("https://gateway.example.com/")).toBe("https://gateway.example.com");
    expect(parseServerUrl("http://127.0.0.1:9000")).toBe("http://127.0.0.1:9000");
  });

  it("looks where `serve` would listen with the same HOST and PORT", () => {
    const target = (settings: Record<string, string>) => resolveServerTarget({ apiKey: "k" }, { ...env, ...settings });
    expect(target({ PORT: "8100" }).serverUrl).toBe("http://127.0.0.1:8100");
    expect(target({ HOST: "192.0.2.7", PORT: "9000" }).serverUrl).toBe("http://192.0.2.7:9000");
    expect(target({ HOST: "0.0.0.0" }).serverUrl).toBe("http://127.0.0.1:8000");
    expect(target({ HOST: "::" }).serverUrl).toBe("http://127.0.0.1:8000");
    expect(target({ HOST: "::1", PORT: "8100" }).serverUrl).toBe("http://[::1]:8100");
    expect(
      resolveServerTarget({ apiKey: "k", serverUrl: "http://example.com:1" }, { ...env, PORT: "8100" }).serverUrl,
    ).toBe("http://example.com:1");
  });

  it("refuses what is not an http(s) URL", () => {
    expect(() => parseServerUrl("localhost:8000")).toThrow(UsageError);
    expect(() => parseServerUrl("not a url")).toThrow("--server-url 'not a url' is not a URL");
  });

  it("takes --api-key first, then API_KEY, then the first of API_KEYS", () => {
    const keys = { ...env, API_KEY: "from-env", API_KEYS: " first , second" };
    expect(resolveServerTarget({ apiKey: "from-option" }, keys).apiKey).toBe("from-option");
    expect(resolveServerTarget({}, keys).apiKey).toBe("from-env");
    expect(resolveServerTarget({}, { ...env, API_KEYS: " first , second" }).apiKey).toBe("first");
  });

  it("explains how to give a key when there is none", () => {
    expect(() => resolveServerTarget({}, { ...env, API_KEY: "", API_KEYS: " , " })).toThrow(CliError);
    expect(() => resolveServerTarget({ apiKey: " " }, env)).toThrow("--api-key must not be empty.");
  });
});
