import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AppConfig, BedrockConfig } from "../../src/config/load-config.js";
import { NO_PROVIDER_WARNING, startupWarnings } from "../../src/config/startup-warnings.js";
import { testConfig } from "../helpers/gateway.js";

const home = mkdtempSync(join(tmpdir(), "open-bedrock-warnings-"));
const configFile = join(home, "config");
const credentialsFile = join(home, "credentials");
writeFileSync(
  configFile,
  "[default]\nregion = us-east-1\n\n[profile sso-dev]\nsso_session = corp\n\n[sso-session corp]\n",
);
writeFileSync(credentialsFile, "[ci]\naws_access_key_id = AKIAEXAMPLE\n");
const env = { HOME: home, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile };

const bedrock = (overrides: Partial<BedrockConfig>): Partial<AppConfig> => ({
  bedrock: {
    region: "us-east-1",
    httpClient: "undici",
    credentialSource: "test",
    imageFetch: { enabled: false, allowPrivateAddresses: false, maxBytes: 1, timeoutMs: 1 },
    ...overrides,
  },
});

describe("startupWarnings", () => {
  it("warns when no provider is configured, and only then", () => {
    expect(startupWarnings(testConfig(), env)).toEqual([NO_PROVIDER_WARNING]);
    expect(startupWarnings(testConfig({ openaiBaseURL: "http://127.0.0.1:1/v1" }), env)).toEqual([]);
    expect(NO_PROVIDER_WARNING).toContain("set OPENAI_API_KEY, or give the server AWS credentials");
  });

  it("counts a models file's provider as configured once its variables are set", () => {
    const file = (unsetVariables: string[]): Partial<AppConfig> => ({
      modelsFile: {
        path: "models.yaml",
        providers: [{ name: "backup", type: "openai", baseUrl: "http://127.0.0.1:1/v1", apiKey: "", unsetVariables }],
        models: [],
        anthropicModels: new Map(),
        warnings: [],
      },
    });
    expect(startupWarnings(testConfig({ config: file([]) }), env)).toEqual([]);
    expect(startupWarnings(testConfig({ config: file(["BACKUP_KEY"]) }), env)).toEqual([NO_PROVIDER_WARNING]);
  });

  it.each(["default", "sso-dev", "ci"])("accepts AWS_PROFILE=%s, which a shared file defines", (profile) => {
    expect(startupWarnings(testConfig({ config: bedrock({ profile }) }), env)).toEqual([]);
  });

  it.each(["corp", "staging"])(
    "names AWS_PROFILE=%s, which no shared file defines as a profile, and both files",
    (profile) => {
      const [warning] = startupWarnings(testConfig({ config: bedrock({ profile }) }), env);
      expect(warning).toBe(
        `AWS_PROFILE names the profile '${profile}', which neither ${configFile} nor ${credentialsFile} defines, so Bedrock requests will fail until it exists: create it (aws configure --profile ${profile}) or correct AWS_PROFILE.`,
      );
    },
  );

  it("says nothing about a profile when static keys or a Bedrock API key are what signs", () => {
    const keys = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" };
    expect(startupWarnings(testConfig({ config: bedrock({ profile: "staging", credentials: keys }) }), env)).toEqual(
      [],
    );
    expect(startupWarnings(testConfig({ config: bedrock({ profile: "staging", bearerToken: "t" }) }), env)).toEqual([]);
  });

  it("looks in ~/.aws when the files are not named", () => {
    const bare = { HOME: mkdtempSync(join(tmpdir(), "open-bedrock-warnings-")) };
    const [warning] = startupWarnings(testConfig({ config: bedrock({ profile: "work" }) }), bare);
    expect(warning).toContain(
      `neither ${join(bare.HOME, ".aws", "config")} nor ${join(bare.HOME, ".aws", "credentials")}`,
    );
  });
});
