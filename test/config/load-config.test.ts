import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigSourceOptions } from "../../src/config/config-sources.js";
import { InvalidSettingError } from "../../src/config/invalid-setting-error.js";
import { loadConfig } from "../../src/config/load-config.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "open-bedrock-config-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Layers {
  env?: Record<string, string>;
  dotEnv?: string;
  configFile?: Record<string, unknown> | string;
}

/**
 * The sources of one test, all inside its temp dir: HOME points there too,
 * so nothing of the machine's own user (AWS files, config) is read.
 */
function sources({ env = {}, dotEnv, configFile }: Layers = {}): ConfigSourceOptions {
  const envFile = join(dir, ".env");
  const userFile = join(dir, "config.json");
  rmSync(envFile, { force: true });
  rmSync(userFile, { force: true });
  if (dotEnv !== undefined) writeFileSync(envFile, dotEnv);
  if (configFile !== undefined) {
    writeFileSync(userFile, typeof configFile === "string" ? configFile : JSON.stringify(configFile));
  }
  return { env: { HOME: dir, ...env }, envFile, configFile: userFile };
}

const load = (layers: Layers = {}) => loadConfig(sources(layers));

function refusal(layers: Layers): string {
  try {
    load(layers);
  } catch (error) {
    if (error instanceof Error) return error.message;
  }
  throw new Error("the configuration was accepted");
}

describe("loadConfig defaults", () => {
  it("runs with nothing configured: defaults, a generated key, no provider", () => {
    const config = load();
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8000,
      defaultOpenAIModel: "gpt-4o-mini",
      logLevel: "info",
      upstreamTimeoutMs: 600_000,
    });
    expect(config.tls).toBeUndefined();
    expect(config.openai).toBeUndefined();
    expect(config.bedrock).toBeUndefined();
    expect(config.clientKeys.generated).toBe(true);
  });
});

describe("loadConfig precedence", () => {
  const all: Layers = {
    env: { PORT: "9001" },
    dotEnv: "PORT=9002\n",
    configFile: { PORT: "9003" },
  };

  it("takes the environment over .env over the config file over the default", () => {
    expect(load(all).port).toBe(9001);
    expect(load({ ...all, env: {} }).port).toBe(9002);
    expect(load({ configFile: all.configFile }).port).toBe(9003);
    expect(load({}).port).toBe(8000);
  });

  it("applies precedence per setting", () => {
    const config = load({
      env: { HOST: "0.0.0.0" },
      dotEnv: "HOST=10.0.0.1\nLOG_LEVEL=debug\n",
      configFile: { HOST: "192.168.0.1", LOG_LEVEL: "warn", DEFAULT_OPENAI_MODEL: "gpt-4.1" },
    });
    expect(config.host).toBe("0.0.0.0");
    expect(config.logLevel).toBe("debug");
    expect(config.defaultOpenAIModel).toBe("gpt-4.1");
  });

  it("counts empty values as unset", () => {
    expect(load({ env: { PORT: "" }, dotEnv: "PORT=9002\n" }).port).toBe(9002);
    expect(load({ dotEnv: "PORT=\n", configFile: { PORT: "9003" } }).port).toBe(9003);
    expect(load({ env: { PORT: "" }, dotEnv: 'PORT=""\n', configFile: { PORT: "" } }).port).toBe(8000);
    expect(load({ env: { OPENAI_API_KEY: "" } }).openai).toBeUndefined();
  });

  it("reads numbers and booleans of the config file as text", () => {
    expect(load({ configFile: { PORT: 9004 } }).port).toBe(9004);
  });

  it("reads .env with comments, quotes and export-free lines", () => {
    const config = load({ dotEnv: "# the port\nPORT=9005 # inline\nHOST=\"::1\"\nDEFAULT_OPENAI_MODEL='gpt-4o'\n" });
    expect(config.port).toBe(9005);
    expect(config.host).toBe("::1");
    expect(config.defaultOpenAIModel).toBe("gpt-4o");
  });

  it("does not check a value that a higher source hides", () => {
    expect(load({ env: { PORT: "9000" }, dotEnv: "PORT=abc\n", configFile: { PORT: "-1" } }).port).toBe(9000);
  });
});

describe("loadConfig refuses bad values, naming the setting and where it came from", () => {
  it.each<[string, Layers, string]>([
    [
      "PORT=abc in the environment",
      { env: { PORT: "abc" } },
      "PORT (from the environment) must be a whole number from 0 to 65535.",
    ],
    ["PORT=abc in .env", { dotEnv: "PORT=abc\n" }, "PORT (from the .env) must be a whole number from 0 to 65535."],
    [
      "PORT=abc in the config file",
      { configFile: { PORT: "abc" } },
      "PORT (from the config file) must be a whole number from 0 to 65535.",
    ],
    ["PORT=70000", { env: { PORT: "70000" } }, "PORT (from the environment) must be a whole number from 0 to 65535."],
    ["PORT=-1", { env: { PORT: "-1" } }, "PORT (from the environment) must be a whole number from 0 to 65535."],
    ["a blank HOST", { env: { HOST: "   " } }, "HOST (from the environment) must not be empty."],
    [
      "an unknown LOG_LEVEL",
      { dotEnv: "LOG_LEVEL=loud\n" },
      "LOG_LEVEL (from the .env) must be one of trace, debug, info, warn, error, fatal, silent.",
    ],
    [
      "an ftp OPENAI_BASE_URL",
      { env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: "ftp://example.com" } },
      "OPENAI_BASE_URL (from the environment) must be an http:// or https:// URL.",
    ],
    [
      "a BEDROCK_ENDPOINT_URL that is no URL",
      { env: { AWS_PROFILE: "p" }, configFile: { BEDROCK_ENDPOINT_URL: "localhost:4000" } },
      "BEDROCK_ENDPOINT_URL (from the config file) must be an http:// or https:// URL.",
    ],
    [
      "UPSTREAM_TIMEOUT_MS=0",
      { env: { UPSTREAM_TIMEOUT_MS: "0" } },
      "UPSTREAM_TIMEOUT_MS (from the environment) must be a whole number from 1 to 86400000.",
    ],
  ])("%s", (_name, layers, message) => {
    expect(refusal(layers)).toBe(message);
  });

  it.each<[string, Layers, string]>([
    [
      "an OPENAI_BASE_URL without OPENAI_API_KEY",
      { env: { OPENAI_BASE_URL: "ftp://x" } },
      "OPENAI_BASE_URL (from the environment) must be an http:// or https:// URL.",
    ],
    [
      "a BEDROCK_ENDPOINT_URL without AWS credentials",
      { dotEnv: "BEDROCK_ENDPOINT_URL=localhost:4000\n" },
      "BEDROCK_ENDPOINT_URL (from the .env) must be an http:// or https:// URL.",
    ],
  ])("refuses %s, although nothing reads it yet", (_name, layers, message) => {
    expect(refusal(layers)).toBe(message);
  });

  it("never repeats a refused secret value", () => {
    const message = refusal({ env: { API_KEY: "   ", OPENAI_API_KEY: "sk-proj-secretvalue" } });
    expect(message).toBe("API_KEY (from the environment) must not be empty.");
    expect(refusal({ env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: "sk-proj-secretvalue" } })).not.toContain(
      "secretvalue",
    );
  });

  it("refuses a bad value with a InvalidSettingError", () => {
    expect(() => load({ env: { PORT: "abc" } })).toThrow(InvalidSettingError);
  });

  it("refuses a config file that is not JSON, or not an object, naming the file", () => {
    const file = join(dir, "config.json");
    expect(refusal({ configFile: "{ PORT: 9000 " })).toContain(`The config file ${file} is not valid JSON`);
    expect(refusal({ configFile: "[1, 2]" })).toBe(`The config file ${file} must hold a JSON object.`);
    expect(refusal({ configFile: "null" })).toBe(`The config file ${file} must hold a JSON object.`);
  });
});

describe("loadConfig metrics", () => {
  it("serves metrics unless METRICS_ENABLED is false, and refuses other values", () => {
    expect(load().metricsEnabled).toBe(true);
    expect(load({ env: { METRICS_ENABLED: "false" } }).metricsEnabled).toBe(false);
    expect(load({ dotEnv: "METRICS_ENABLED=true\n" }).metricsEnabled).toBe(true);
    expect(refusal({ env: { METRICS_ENABLED: "no" } })).toContain("METRICS_ENABLED");
  });
});

describe("loadConfig TLS", () => {
  it("needs TLS_CERT and TLS_KEY together", () => {
    expect(refusal({ env: { TLS_CERT: "/etc/tls/cert.pem" } })).toBe("TLS_CERT and TLS_KEY must be set together.");
    expect(refusal({ dotEnv: "TLS_KEY=/etc/tls/key.pem\n" })).toBe("TLS_CERT and TLS_KEY must be set together.");
  });

  it("turns TLS on with both, from any sources", () => {
    const config = load({ env: { TLS_CERT: "/etc/tls/cert.pem" }, configFile: { TLS_KEY: "/etc/tls/key.pem" } });
    expect(config.tls).toEqual({ certPath: "/etc/tls/cert.pem", keyPath: "/etc/tls/key.pem" });
  });
});

describe("loadConfig client keys", () => {
  it("merges API_KEY and API_KEYS, trimmed and without duplicates, and says where they came from", () => {
    const config = load({
      env: { API_KEY: "key-a-123" },
      dotEnv: "API_KEYS=key-b-123, key-a-123 ,,key-c-123,key-b-123\n",
    });
    expect(config.clientKeys).toEqual({
      keys: ["key-a-123", "key-b-123", "key-c-123"],
      source: "API_KEY (environment) and API_KEYS (.env)",
      generated: false,
    });
  });

  it("takes API_KEY alone or API_KEYS alone", () => {
    expect(load({ configFile: { API_KEY: "only-one" } }).clientKeys).toEqual({
      keys: ["only-one"],
      source: "API_KEY (config file)",
      generated: false,
    });
    expect(load({ env: { API_KEYS: "key-one-1,key-two-2" } }).clientKeys).toEqual({
      keys: ["key-one-1", "key-two-2"],
      source: "API_KEYS (environment)",
      generated: false,
    });
  });

  it("makes a key for the run when none is set, and says so", () => {
    const first = load().clientKeys;
    expect(first.generated).toBe(true);
    expect(first.source).toBe("generated for this run");
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]).toMatch(/^ob-[A-Za-z0-9_-]{32}$/);
    expect(load().clientKeys.keys[0]).not.toBe(first.keys[0]);
  });

  it("makes a key when API_KEYS holds only separators", () => {
    expect(load({ env: { API_KEYS: " , ," } }).clientKeys.generated).toBe(true);
  });
});

describe("loadConfig OpenAI", () => {
  it("configures OpenAI only with OPENAI_API_KEY", () => {
    expect(load({ env: { OPENAI_BASE_URL: "http://127.0.0.1:9999/v1" } }).openai).toBeUndefined();
    expect(load({ env: { OPENAI_API_KEY: "sk-test" } }).openai).toEqual({
      apiKey: "sk-test",
      baseURL: "https://api.openai.com/v1",
      httpClient: "undici",
    });
  });

  it("takes the exchange named by OPENAI_HTTP_CLIENT and refuses others", () => {
    expect(load({ env: { OPENAI_API_KEY: "sk-test", OPENAI_HTTP_CLIENT: "sdk" } }).openai?.httpClient).toBe("sdk");
    expect(refusal({ env: { OPENAI_HTTP_CLIENT: "curl" } })).toBe(
      "OPENAI_HTTP_CLIENT (from the environment) must be one of undici, sdk.",
    );
  });

  it("takes OPENAI_BASE_URL with the key, from any sources", () => {
    expect(
      load({ dotEnv: "OPENAI_API_KEY=sk-test\n", configFile: { OPENAI_BASE_URL: "http://127.0.0.1:9999/v1" } }).openai,
    ).toEqual({ apiKey: "sk-test", baseURL: "http://127.0.0.1:9999/v1", httpClient: "undici" });
  });
});

describe("loadConfig Bedrock", () => {
  it("configures Bedrock when a profile is named", () => {
    expect(load({ env: { AWS_PROFILE: "work" } }).bedrock).toEqual({
      region: "us-east-1",
      httpClient: "undici",
      profile: "work",
      credentialSource: "AWS profile work",
      imageFetch: { enabled: true, allowPrivateAddresses: false, maxBytes: 3_932_160, timeoutMs: 10_000 },
    });
  });

  it("takes static keys only as a pair", () => {
    expect(refusal({ env: { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE" } })).toBe(
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together.",
    );
    const bedrock = load({
      env: { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "eu-west-1" },
    }).bedrock;
    expect(bedrock).toMatchObject({
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret" },
      credentialSource: "static AWS keys",
    });
  });

  it("sees a shared config file in HOME (SSO and role profiles live there)", () => {
    mkdirSync(join(dir, ".aws"));
    writeFileSync(join(dir, ".aws", "config"), "[default]\nsso_session = work\n");
    expect(load().bedrock?.credentialSource).toBe("shared config file");
  });

  it("turns Bedrock on without any visible credential with BEDROCK_ENABLED=true, and off with false", () => {
    expect(load().bedrock).toBeUndefined();
    expect(load({ env: { BEDROCK_ENABLED: "true" } }).bedrock?.credentialSource).toBe("the default AWS chain");
    expect(load({ env: { BEDROCK_ENABLED: "false", AWS_PROFILE: "work" } }).bedrock).toBeUndefined();
    expect(refusal({ env: { BEDROCK_ENABLED: "yes" } })).toBe(
      "BEDROCK_ENABLED (from the environment) must be one of auto, true, false.",
    );
  });

  it("sees a shared credentials file in HOME", () => {
    mkdirSync(join(dir, ".aws"));
    writeFileSync(join(dir, ".aws", "credentials"), "[default]\naws_access_key_id = x\n");
    expect(load().bedrock?.credentialSource).toBe("shared credentials file");
  });

  it("prefers BEDROCK_ENDPOINT_URL over the SDK's own runtime endpoint setting", () => {
    const bedrock = load({
      env: {
        AWS_PROFILE: "p",
        BEDROCK_ENDPOINT_URL: "http://127.0.0.1:4000",
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "http://127.0.0.1:5000",
        AWS_ENDPOINT_URL_BEDROCK: "http://127.0.0.1:6000",
      },
    }).bedrock;
    expect(bedrock?.runtimeEndpoint).toBe("http://127.0.0.1:4000");
    expect(bedrock?.controlEndpoint).toBe("http://127.0.0.1:6000");
    expect(
      load({ env: { AWS_PROFILE: "p", AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "http://127.0.0.1:5000" } }).bedrock
        ?.runtimeEndpoint,
    ).toBe("http://127.0.0.1:5000");
  });
});

describe("loadConfig: HEAP_GROWTH_PERCENT", () => {
  it("bounds the heap's growth at 50% unless told otherwise; 0 leaves it to V8", () => {
    expect(load({}).heapGrowthPercent).toBe(50);
    expect(load({ env: { HEAP_GROWTH_PERCENT: "0" } }).heapGrowthPercent).toBe(0);
    expect(load({ env: { HEAP_GROWTH_PERCENT: "25" } }).heapGrowthPercent).toBe(25);
    expect(() => load({ env: { HEAP_GROWTH_PERCENT: "-5" } })).toThrow(
      "HEAP_GROWTH_PERCENT (from the environment) must be a whole number from 0 to 1000.",
    );
  });
});

describe("loadConfig: retries, cooldown and the models file", () => {
  it("reads UPSTREAM_RETRIES and the cooldown, with their defaults", () => {
    expect(load({})).toMatchObject({ upstreamRetries: 2, cooldown: { failures: 3, seconds: 30 } });
    expect(load({ env: { UPSTREAM_RETRIES: "0", COOLDOWN_FAILURES: "5", COOLDOWN_SECONDS: "0.5" } })).toMatchObject({
      upstreamRetries: 0,
      cooldown: { failures: 5, seconds: 0.5 },
    });
    expect(load({}).modelsFile).toBeUndefined();
  });

  it("reads MODELS_FILE, and each variable it names from the environment, .env and the config file alike", () => {
    const path = join(dir, "models.yaml");
    writeFileSync(
      path,
      `providers:
  backup:
    type: openai
    base_url: \${BACKUP_URL}
    api_key: \${BACKUP_KEY}
models:
  smart: {targets: [backup/gpt-4.1]}
`,
    );
    const config = load({
      env: { MODELS_FILE: path },
      dotEnv: "BACKUP_KEY=sk-backup-from-dotenv\n",
      configFile: { BACKUP_URL: "https://example.invalid/v1" },
    });
    expect(config.modelsFile?.providers).toEqual([
      {
        type: "openai",
        name: "backup",
        baseUrl: "https://example.invalid/v1",
        apiKey: "sk-backup-from-dotenv",
        unsetVariables: [],
      },
    ]);
    expect(config.modelsFile?.models.map((model) => model.name)).toEqual(["smart"]);
  });

  it("stops at a models file that does not check out, with its one line", () => {
    const path = join(dir, "models.yaml");
    writeFileSync(path, "providers:\n  west: {type: bedrok}\n");
    expect(refusal({ env: { MODELS_FILE: path } })).toBe(
      `${path}:2:16: providers.west.type: unknown provider type 'bedrok': use openai or bedrock.`,
    );
    expect(refusal({ env: { MODELS_FILE: join(dir, "absent.yaml") } })).toBe(
      `${join(dir, "absent.yaml")}: cannot be read (no such file): check MODELS_FILE.`,
    );
  });

  it.each<[string, Layers, string]>([
    [
      "UPSTREAM_RETRIES=11",
      { env: { UPSTREAM_RETRIES: "11" } },
      "UPSTREAM_RETRIES (from the environment) must be a whole number from 0 to 10.",
    ],
    [
      "COOLDOWN_FAILURES=-1",
      { env: { COOLDOWN_FAILURES: "-1" } },
      "COOLDOWN_FAILURES (from the environment) must be a whole number from 0 to 1000.",
    ],
    [
      "COOLDOWN_SECONDS=0",
      { env: { COOLDOWN_SECONDS: "0" } },
      "COOLDOWN_SECONDS (from the environment) must be a number of seconds from 0.001 to 86400.",
    ],
    [
      "COOLDOWN_SECONDS=soon",
      { env: { COOLDOWN_SECONDS: "soon" } },
      "COOLDOWN_SECONDS (from the environment) must be a number of seconds from 0.001 to 86400.",
    ],
  ])("refuses %s", (_name, layers, message) => {
    expect(refusal(layers)).toBe(message);
  });
});
