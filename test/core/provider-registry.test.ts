import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/core/errors.js";
import { ProviderRegistry } from "../../src/core/provider-registry.js";
import { ScriptedProvider } from "../helpers/scripted-provider.js";

describe("ProviderRegistry", () => {
  it("lists the configured providers in a fixed order", () => {
    const both = new ProviderRegistry({
      bedrock: () => new ScriptedProvider("bedrock"),
      openai: () => new ScriptedProvider("openai"),
    });
    expect(both.configured()).toEqual(["openai", "bedrock"]);
    expect(new ProviderRegistry({ bedrock: () => new ScriptedProvider("bedrock") }).configured()).toEqual(["bedrock"]);
    expect(new ProviderRegistry({}).configured()).toEqual([]);
  });

  it("tells whether a provider is configured", () => {
    const registry = new ProviderRegistry({ openai: () => new ScriptedProvider("openai") });
    expect(registry.isConfigured("openai")).toBe(true);
    expect(registry.isConfigured("bedrock")).toBe(false);
  });

  it("builds a provider on first use and then reuses it", () => {
    let built = 0;
    const registry = new ProviderRegistry({
      openai: () => {
        built += 1;
        return new ScriptedProvider("openai");
      },
    });
    expect(built).toBe(0);
    const first = registry.get("openai");
    expect(registry.get("openai")).toBe(first);
    expect(built).toBe(1);
  });

  it.each([
    ["bedrock", "AWS credentials"],
    ["openai", "OPENAI_API_KEY"],
  ] as const)(
    "refuses the unconfigured %s provider with a ConfigurationError that says how to set it up",
    (name, hint) => {
      const registry = new ProviderRegistry({});
      let failure: unknown;
      try {
        registry.get(name);
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(ConfigurationError);
      const error = failure as ConfigurationError;
      expect(error.httpStatus).toBe(503);
      expect(error.grpcCode).toBe(Code.FailedPrecondition);
      expect(error.code).toBe("provider_not_configured");
      expect(error.message).toContain(name);
      expect(error.message).toContain(hint);
    },
  );

  it("knows the models file's providers by name, after the environment's, configured or not", () => {
    const registry = new ProviderRegistry(
      { "bedrock-west": () => new ScriptedProvider("bedrock-west"), openai: () => new ScriptedProvider("openai") },
      { "openai-backup": `set \${BACKUP_KEY}, which models.yaml reads from the environment` },
    );
    expect(registry.names()).toEqual(["openai", "bedrock", "bedrock-west", "openai-backup"]);
    expect(registry.configured()).toEqual(["openai", "bedrock-west"]);
    expect(registry.get("bedrock-west").name).toBe("bedrock-west");
    expect(() => registry.get("openai-backup")).toThrow(
      new ConfigurationError(
        `The openai-backup provider is not configured on this server: set \${BACKUP_KEY}, which models.yaml reads from the environment.`,
      ),
    );
  });
});
