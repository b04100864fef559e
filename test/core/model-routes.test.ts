import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../src/core/errors.js";
import type { ModelNameTable } from "../../src/core/model-routes.js";
import { routesOf, ScriptedProvider } from "../helpers/scripted-provider.js";

const WEST = { provider: "bedrock-west", modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" };
const BACKUP = { provider: "openai", modelId: "gpt-4.1" };

const routes = routesOf([new ScriptedProvider("openai"), new ScriptedProvider("bedrock-west")], {
  aliases: [
    { name: "smart", targets: [WEST, BACKUP] },
    { name: "claude-3-5-haiku-20241022", targets: [BACKUP] },
  ],
  anthropicModels: new Map([
    ["claude-sonnet-4-5-20250929", "smart"],
    ["claude-opus-4-1-20250805", "bedrock-west/us.anthropic.claude-opus-4-1-20250805-v1:0"],
  ]),
});

/** A front door's built-in table, as the Anthropic Messages route will have one. */
const builtIn: ModelNameTable = (name) =>
  ({
    "claude-sonnet-4-5-20250929": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "claude-3-5-haiku-20241022": "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "claude-3-7-sonnet-20250219": "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
  })[name];

describe("ModelRoutes.resolve", () => {
  it("answers a models-file name with its targets in order", () => {
    expect(routes.resolve("smart")).toEqual({ alias: "smart", targets: [WEST, BACKUP] });
    expect(routes.resolve("  smart ")).toEqual({ alias: "smart", targets: [WEST, BACKUP] });
  });

  it("routes any other model as the router does, named providers included", () => {
    expect(routes.resolve("bedrock-west/amazon.nova-lite-v1:0")).toEqual({
      targets: [{ provider: "bedrock-west", modelId: "amazon.nova-lite-v1:0" }],
    });
    expect(routes.resolve("anthropic.claude-3-haiku-20240307-v1:0")).toEqual({
      targets: [{ provider: "bedrock", modelId: "anthropic.claude-3-haiku-20240307-v1:0" }],
    });
    expect(routes.resolve("")).toEqual({ targets: [{ provider: "openai", modelId: "gpt-4o-mini" }] });
    expect(() => routes.resolve("bedrock-west/")).toThrow(InvalidRequestError);
  });

  it("reads Anthropic names only for a caller that speaks them", () => {
    expect(routes.resolve("claude-sonnet-4-5-20250929")).toEqual({
      targets: [{ provider: "openai", modelId: "claude-sonnet-4-5-20250929" }],
    });
  });

  it("for a caller that speaks them: the models file's names first, then its anthropic_models, then the built-in table", () => {
    // A models-file name wins over both tables.
    expect(routes.resolve("claude-3-5-haiku-20241022", builtIn)).toEqual({
      alias: "claude-3-5-haiku-20241022",
      targets: [BACKUP],
    });
    // anthropic_models overrides the built-in table, and may name a models-file name ...
    expect(routes.resolve("claude-sonnet-4-5-20250929", builtIn)).toEqual({ alias: "smart", targets: [WEST, BACKUP] });
    // ... or a provider's model.
    expect(routes.resolve("claude-opus-4-1-20250805", builtIn)).toEqual({
      targets: [{ provider: "bedrock-west", modelId: "us.anthropic.claude-opus-4-1-20250805-v1:0" }],
    });
    // The built-in table answers the rest it knows; other names route as they are.
    expect(routes.resolve("claude-3-7-sonnet-20250219", builtIn)).toEqual({
      targets: [{ provider: "bedrock", modelId: "us.anthropic.claude-3-7-sonnet-20250219-v1:0" }],
    });
    expect(routes.resolve("gpt-4o", builtIn)).toEqual({ targets: [{ provider: "openai", modelId: "gpt-4o" }] });
  });
});
