import { describe, expect, it } from "vitest";
import { emptyListMessage, listedModels, providerOf, renderModels } from "../../../src/cli/models/list-models.js";

const served = [
  { id: "gpt-4o-mini", owned_by: "system", created: 1721172741 },
  { id: "us.anthropic.claude-3-5-haiku-20241022-v1:0", owned_by: "anthropic", created: 0 },
  { id: "amazon.titan-text-express-v1", owned_by: "amazon", created: 0 },
  { id: "openai/anthropic.claude-like", owned_by: "someone", created: 0 },
];

describe("the models listing", () => {
  it("gives each model the provider the server routes it to", () => {
    expect(providerOf({ id: "gpt-4o" })).toBe("openai");
    expect(providerOf({ id: "anthropic.claude-3-haiku-20240307-v1:0" })).toBe("bedrock");
    expect(providerOf({ id: "bedrock/custom-model" })).toBe("bedrock");
    expect(providerOf({ id: "openai/anthropic.claude-like" })).toBe("openai");
    expect(providerOf({ id: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/x" })).toBe("bedrock");
  });

  it("knows the models file's providers and names when the server lists them", () => {
    const providers = ["openai", "bedrock", "bedrock-west"];
    expect(providerOf({ id: "bedrock-west/anthropic.claude-3-haiku-20240307-v1:0" }, providers)).toBe("bedrock-west");
    expect(providerOf({ id: "meta-llama/Llama-3.1-8B" }, providers)).toBe("openai");
    expect(providerOf({ id: "smart", owned_by: "open-bedrock" }, providers)).toBe("alias");
    expect(providerOf({ id: "smart", owned_by: "system" }, providers)).toBe("openai");
  });

  it("filters by provider and orders by provider, then id", () => {
    expect(listedModels(served).map((model) => model.id)).toEqual([
      "amazon.titan-text-express-v1",
      "us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "gpt-4o-mini",
      "openai/anthropic.claude-like",
    ]);
    expect(listedModels(served, "openai").map((model) => model.id)).toEqual([
      "gpt-4o-mini",
      "openai/anthropic.claude-like",
    ]);
  });

  it("renders a table, tab-separated lines, or JSON", () => {
    const models = listedModels(served, "bedrock");
    expect(renderModels(models, "table")).toBe(
      [
        "ID                                           PROVIDER  OWNED BY   CREATED",
        "amazon.titan-text-express-v1                 bedrock   amazon     -",
        "us.anthropic.claude-3-5-haiku-20241022-v1:0  bedrock   anthropic  -",
        "",
      ].join("\n"),
    );
    expect(renderModels(listedModels(served, "openai").slice(0, 1), "tsv")).toBe(
      "gpt-4o-mini\topenai\tsystem\t2024-07-16\n",
    );
    expect(JSON.parse(renderModels(models, "json"))).toEqual([
      { id: "amazon.titan-text-express-v1", provider: "bedrock", owned_by: "amazon", created: 0 },
      { id: "us.anthropic.claude-3-5-haiku-20241022-v1:0", provider: "bedrock", owned_by: "anthropic", created: 0 },
    ]);
  });
});

describe("an empty list", () => {
  it.each([
    [undefined, undefined, "The server offers no models."],
    [
      undefined,
      [],
      "The server offers no models: it has no provider configured; start it with OPENAI_API_KEY or AWS credentials (docs/configuration.md).",
    ],
    [
      "bedrock",
      ["openai"],
      "The server offers no bedrock models: its bedrock provider is not configured; start it with AWS credentials (docs/configuration.md).",
    ],
    [
      undefined,
      ["openai", "bedrock"],
      "The server offers no models: the openai and bedrock listings came back empty or failed; the server's log says why.",
    ],
    [
      "openai",
      ["openai"],
      "The server offers no openai models: the openai listing came back empty or failed; the server's log says why.",
    ],
  ] as const)("for --provider %s with %j configured says why", (provider, configured, said) => {
    expect(emptyListMessage(provider, configured === undefined ? undefined : [...configured])).toBe(said);
  });
});
