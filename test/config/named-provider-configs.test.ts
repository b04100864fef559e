import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGE_FETCH, type ProviderDefaults } from "../../src/config/load-config.js";
import type { NamedBedrockProvider } from "../../src/config/models-file.js";
import { bedrockConfigOf } from "../../src/config/named-provider-configs.js";

const defaults: ProviderDefaults = {
  openaiHttpClient: "undici",
  bedrockHttpClient: "sdk",
  awsRegion: "us-east-1",
  imageFetch: DEFAULT_IMAGE_FETCH,
  bedrockControls: {
    guardrail: { identifier: "gr-1", version: "2", trace: "enabled" },
    autoCache: true,
  },
};

const westAccount: NamedBedrockProvider = {
  type: "bedrock",
  name: "bedrock-west",
  region: "us-west-2",
  profile: "west",
  unsetVariables: [],
};

describe("bedrockConfigOf", () => {
  it("gives a named Bedrock provider the server's guardrail and prompt cache, as every Bedrock provider has them", () => {
    const config = bedrockConfigOf(westAccount, defaults);
    expect(config.guardrail).toEqual({ identifier: "gr-1", version: "2", trace: "enabled" });
    expect(config.autoCache).toBe(true);
    expect(config.region).toBe("us-west-2");
    expect(config.httpClient).toBe("sdk");
    expect(config.credentialSource).toBe("AWS profile west");
  });

  it("adds no guardrail or cache when the server sets none", () => {
    const config = bedrockConfigOf({ ...westAccount, region: undefined }, { ...defaults, bedrockControls: {} });
    expect(config).not.toHaveProperty("guardrail");
    expect(config).not.toHaveProperty("autoCache");
    expect(config.region).toBe("us-east-1");
  });
});
