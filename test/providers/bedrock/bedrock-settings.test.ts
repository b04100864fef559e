import { describe, expect, it } from "vitest";
import { InvalidSettingError } from "../../../src/config/invalid-setting-error.js";
import { loadConfig } from "../../../src/config/load-config.js";

const NOWHERE = "/nonexistent/open-bedrock-test";

function bedrockConfigFrom(env: Record<string, string>) {
  return loadConfig({
    env: { HOME: NOWHERE, ...env },
    envFile: `${NOWHERE}/.env`,
    configFile: `${NOWHERE}/config.json`,
  }).bedrock;
}

const keys = { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE000000001", AWS_SECRET_ACCESS_KEY: "secret" };

describe("Bedrock settings", () => {
  it("leaves Bedrock off without any credential", () => {
    expect(bedrockConfigFrom({})).toBeUndefined();
  });

  it("reads the region, endpoints and the image fetch policy with its defaults", () => {
    expect(bedrockConfigFrom({ ...keys, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "http://127.0.0.1:4010" })).toEqual({
      region: "us-east-1",
      httpClient: "undici",
      credentialSource: "static AWS keys",
      credentials: { accessKeyId: "AKIAEXAMPLE000000001", secretAccessKey: "secret" },
      runtimeEndpoint: "http://127.0.0.1:4010",
      imageFetch: { enabled: true, allowPrivateAddresses: false, maxBytes: 3_932_160, timeoutMs: 10_000 },
    });
  });

  it("prefers BEDROCK_ENDPOINT_URL, and reads the role, the API key and the image settings", () => {
    const config = bedrockConfigFrom({
      AWS_BEARER_TOKEN_BEDROCK: "ABSKkey",
      AWS_REGION: "eu-central-1",
      BEDROCK_ENDPOINT_URL: "https://bedrock.internal",
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "http://ignored",
      AWS_ENDPOINT_URL_BEDROCK: "https://control.internal",
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/r",
      AWS_EXTERNAL_ID: "x-1",
      IMAGE_FETCH_ENABLED: "false",
      IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: "true",
      IMAGE_FETCH_MAX_BYTES: "1000",
      IMAGE_FETCH_TIMEOUT_MS: "250",
    });
    expect(config).toMatchObject({
      region: "eu-central-1",
      bearerToken: "ABSKkey",
      runtimeEndpoint: "https://bedrock.internal",
      controlEndpoint: "https://control.internal",
      roleArn: "arn:aws:iam::123456789012:role/r",
      externalId: "x-1",
      imageFetch: { enabled: false, allowPrivateAddresses: true, maxBytes: 1000, timeoutMs: 250 },
    });
  });

  it("reads the guardrail, set as a pair, with its trace, and automatic cache breakpoints", () => {
    const config = bedrockConfigFrom({
      ...keys,
      BEDROCK_GUARDRAIL_ID: "gr1abc",
      BEDROCK_GUARDRAIL_VERSION: "3",
      BEDROCK_GUARDRAIL_TRACE: "enabled",
      BEDROCK_PROMPT_CACHE: "auto",
    });
    expect(config).toMatchObject({
      guardrail: { identifier: "gr1abc", version: "3", trace: "enabled" },
      autoCache: true,
    });
    expect(
      bedrockConfigFrom({ ...keys, BEDROCK_GUARDRAIL_ID: "g", BEDROCK_GUARDRAIL_VERSION: "DRAFT" })?.guardrail,
    ).toEqual({ identifier: "g", version: "DRAFT", trace: "disabled" });
    expect(() => bedrockConfigFrom({ ...keys, BEDROCK_GUARDRAIL_ID: "g" })).toThrow(
      "BEDROCK_GUARDRAIL_ID and BEDROCK_GUARDRAIL_VERSION must be set together.",
    );
    expect(() => bedrockConfigFrom({ ...keys, BEDROCK_GUARDRAIL_ID: "g", BEDROCK_GUARDRAIL_VERSION: "v1" })).toThrow(
      "BEDROCK_GUARDRAIL_VERSION (from the environment) must be a version number or DRAFT.",
    );
    expect(() => bedrockConfigFrom({ ...keys, BEDROCK_PROMPT_CACHE: "always" })).toThrow("must be one of off, auto");
  });

  it("takes the exchange named by BEDROCK_HTTP_CLIENT and refuses others", () => {
    expect(bedrockConfigFrom({ ...keys, BEDROCK_HTTP_CLIENT: "sdk" })?.httpClient).toBe("sdk");
    expect(() => bedrockConfigFrom({ ...keys, BEDROCK_HTTP_CLIENT: "fetch" })).toThrow(
      "BEDROCK_HTTP_CLIENT (from the environment) must be one of undici, sdk.",
    );
  });

  it.each([
    ["IMAGE_FETCH_ENABLED", "yes"],
    ["IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS", "1"],
    ["IMAGE_FETCH_MAX_BYTES", "-5"],
    ["IMAGE_FETCH_TIMEOUT_MS", "soon"],
  ])("refuses %s=%s", (name, value) => {
    expect(() => bedrockConfigFrom({ ...keys, [name]: value })).toThrow(InvalidSettingError);
  });
});
