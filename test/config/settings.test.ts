import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findSetting, SETTINGS } from "../../src/config/settings.js";

const check = (name: string, value: string) => {
  const setting = findSetting(name);
  if (!setting?.check) throw new Error(`${name} has no check`);
  return setting.check(value);
};

describe("SETTINGS", () => {
  it("names each setting once", () => {
    const names = SETTINGS.map((setting) => setting.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("has every setting of the public contract, with its documented default", () => {
    const documented: [string, string | undefined][] = [
      ["API_KEY", undefined],
      ["API_KEYS", undefined],
      ["PORT", "8000"],
      ["HOST", "127.0.0.1"],
      ["TLS_CERT", undefined],
      ["TLS_KEY", undefined],
      ["OPENAI_API_KEY", undefined],
      ["OPENAI_BASE_URL", "https://api.openai.com/v1"],
      ["AWS_REGION", "us-east-1"],
      ["AWS_PROFILE", undefined],
      ["BEDROCK_ENDPOINT_URL", undefined],
      ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME", undefined],
      ["AWS_ENDPOINT_URL_BEDROCK", undefined],
      ["DEFAULT_OPENAI_MODEL", "gpt-4o-mini"],
      ["LOG_LEVEL", "info"],
    ];
    for (const [name, defaultValue] of documented) {
      const setting = findSetting(name);
      expect(setting, name).toBeDefined();
      expect(setting?.default, name).toBe(defaultValue);
    }
  });

  it("marks every credential as secret, and nothing else", () => {
    const secrets = SETTINGS.filter((setting) => setting.secret).map((setting) => setting.name);
    expect(secrets.sort()).toEqual(
      [
        "API_KEY",
        "API_KEYS",
        "OPENAI_API_KEY",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_BEARER_TOKEN_BEDROCK",
      ].sort(),
    );
  });

  it("describes every setting and checks every default it has", () => {
    for (const setting of SETTINGS) {
      expect(setting.description, setting.name).not.toBe("");
      if (setting.default !== undefined && setting.check) {
        expect(setting.check(setting.default), setting.name).toBeUndefined();
      }
    }
  });

  it("answers undefined for an unknown name", () => {
    expect(findSetting("NOT_A_SETTING")).toBeUndefined();
  });
});

describe("the checks", () => {
  it.each(["0", "1", "8000", "65535", " 9000 ", "00080"])("PORT accepts %j", (value) => {
    expect(check("PORT", value)).toBeUndefined();
  });

  it.each(["abc", "-1", "65536", "1e3", "80.5", "0x50", "", "8000a"])("PORT refuses %j", (value) => {
    expect(check("PORT", value)).toBe("must be a whole number from 0 to 65535");
  });

  it.each(["1", "86400000"])("UPSTREAM_TIMEOUT_MS accepts %s", (value) => {
    expect(check("UPSTREAM_TIMEOUT_MS", value)).toBeUndefined();
  });

  it.each(["0", "86400001"])("UPSTREAM_TIMEOUT_MS refuses %s", (value) => {
    expect(check("UPSTREAM_TIMEOUT_MS", value)).toBe("must be a whole number from 1 to 86400000");
  });

  it.each(["http://127.0.0.1:8080/v1", "https://api.openai.com/v1", "HTTPS://EXAMPLE.COM"])(
    "OPENAI_BASE_URL accepts %s",
    (value) => {
      expect(check("OPENAI_BASE_URL", value)).toBeUndefined();
    },
  );

  it("OPENAI_BASE_URL refuses other schemes and non-URLs", () => {
    expect(check("OPENAI_BASE_URL", "ftp://example.com")).toBe("must be an http:// or https:// URL");
    expect(check("OPENAI_BASE_URL", "example.com/v1")).toBe("must be a URL such as https://example.com/v1");
  });

  it("LOG_LEVEL takes pino's levels only", () => {
    for (const level of ["trace", "debug", "info", "warn", "error", "fatal", "silent"]) {
      expect(check("LOG_LEVEL", level)).toBeUndefined();
    }
    expect(check("LOG_LEVEL", "INFO")).toBe("must be one of trace, debug, info, warn, error, fatal, silent");
  });

  it("refuses blank values of required text settings", () => {
    for (const name of ["API_KEY", "HOST", "OPENAI_API_KEY", "AWS_REGION", "DEFAULT_OPENAI_MODEL"]) {
      expect(check(name, " \t"), name).toBe("must not be empty");
      expect(check(name, "x".repeat(8)), name).toBeUndefined();
    }
  });

  it("refuses a client key shorter than 8 characters, alone or in a list, without repeating it", () => {
    expect(check("API_KEY", "k")).toBe("must be at least 8 characters long (it has 1): a short key is easy to guess");
    expect(check("API_KEY", " 1234567 ")).toMatch(/^must be at least 8 characters long \(it has 7\)/);
    expect(check("API_KEY", "12345678")).toBeUndefined();
    expect(check("API_KEYS", "long-enough-1, short")).toBe(
      "must hold keys of at least 8 characters each (one has 5): a short key is easy to guess",
    );
    expect(check("API_KEYS", "long-enough-1, long-enough-2,")).toBeUndefined();
  });

  it("takes WORKERS as auto or a count from 1", () => {
    expect(check("WORKERS", "auto")).toBeUndefined();
    expect(check("WORKERS", "4")).toBeUndefined();
    for (const value of ["0", "-1", "two", "1.5", "257"]) {
      expect(check("WORKERS", value), value).toBe("must be auto or a whole number from 1 to 256");
    }
  });

  it("never repeats the refused value in its answer (so secrets stay out of errors)", () => {
    const checked = SETTINGS.filter((setting) => setting.check);
    fc.assert(
      fc.property(fc.constantFrom(...checked), fc.string({ maxLength: 30 }), (setting, text) => {
        // A marker that no message contains, so finding the value means it was echoed.
        const value = `§${text}§`;
        const problem = setting.check?.(value);
        if (problem !== undefined) expect(problem).not.toContain(value);
      }),
    );
  });
});
