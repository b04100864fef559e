import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Model } from "../../gen/openbedrock/v1/chat_pb.js";
import type { Logger } from "../../src/core/logger.js";
import { silentLogger } from "../../src/core/logger.js";
import { ALIAS_OWNER, ModelCatalog } from "../../src/core/model-catalog.js";
import { type ProviderName, routeModel } from "../../src/core/model-router.js";
import { anyText } from "../arbitraries/text.js";
import { model, routesOf, ScriptedProvider } from "../helpers/scripted-provider.js";

const DEFAULT_MODEL = "gpt-4o-mini";
const MINUTE = 60_000;

function catalogOf(providers: ScriptedProvider[], logger: Logger = silentLogger): ModelCatalog {
  const routes = routesOf(providers, { defaultOpenAIModel: DEFAULT_MODEL });
  return new ModelCatalog(() => routes, logger);
}

/** A provider whose listing answers the next scripted outcome on each call. */
function listing(name: ProviderName, ...outcomes: (Model[] | Error)[]): ScriptedProvider {
  let call = 0;
  return new ScriptedProvider(name, {
    models: () => {
      const outcome = outcomes[Math.min(call++, outcomes.length - 1)] ?? [];
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  });
}

const ids = (models: Model[]) => models.map((entry) => entry.id);

const GPT = [model("gpt-4o", "openai", 1715367049n), model("gpt-4o-mini", "openai")];
const CLAUDE = [model("anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic", 1718841600n)];
const TITAN = [model("amazon.titan-text-express-v1", "amazon")];

describe("ModelCatalog", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("merges the lists of every configured provider, OpenAI first", async () => {
    const list = await catalogOf([listing("bedrock", CLAUDE), listing("openai", GPT)]).list();
    expect(list).toEqual([...GPT, ...CLAUDE]);
  });

  it("lists nothing for a provider that is not configured", async () => {
    expect(ids(await catalogOf([listing("bedrock", CLAUDE)]).list())).toEqual([CLAUDE[0]?.id]);
    expect(await catalogOf([]).list()).toEqual([]);
  });

  it("survives one provider failing, and logs which one", async () => {
    const warn = vi.fn();
    const logger: Logger = { ...silentLogger, warn };
    const list = await catalogOf(
      [listing("openai", new Error("connect ECONNREFUSED")), listing("bedrock", CLAUDE)],
      logger,
    ).list();
    expect(list).toEqual(CLAUDE);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatchObject({ provider: "openai" });
  });

  it("answers an empty list when every provider fails", async () => {
    const failing = [listing("openai", new Error("down")), listing("bedrock", new Error("down"))];
    expect(await catalogOf(failing).list()).toEqual([]);
  });

  it("caches each provider's list for ten minutes", async () => {
    const later = [...GPT, model("o3-mini", "openai")];
    const openai = listing("openai", GPT, later);
    const catalog = catalogOf([openai]);
    expect(ids(await catalog.list())).toEqual(ids(GPT));
    vi.advanceTimersByTime(9 * MINUTE);
    expect(ids(await catalog.list())).toEqual(ids(GPT));
    expect(openai.listSignals).toHaveLength(1);
    vi.advanceTimersByTime(2 * MINUTE);
    expect(ids(await catalog.list())).toEqual(ids(later));
    expect(openai.listSignals).toHaveLength(2);
  });

  it("keeps the last good list when a later listing fails, and retries after 30 seconds", async () => {
    const bedrock = listing("bedrock", CLAUDE, new Error("throttled"), TITAN);
    const catalog = catalogOf([bedrock]);
    expect(await catalog.list()).toEqual(CLAUDE);
    vi.advanceTimersByTime(11 * MINUTE);
    expect(await catalog.list()).toEqual(CLAUDE);
    expect(bedrock.listSignals).toHaveLength(2);
    vi.advanceTimersByTime(29_000);
    expect(await catalog.list()).toEqual(CLAUDE);
    expect(bedrock.listSignals).toHaveLength(2);
    vi.advanceTimersByTime(2_000);
    expect(await catalog.list()).toEqual(TITAN);
    expect(bedrock.listSignals).toHaveLength(3);
  });

  it("retries a provider that never listed after 30 seconds, not on every call", async () => {
    const openai = listing("openai", new Error("down"), GPT);
    const catalog = catalogOf([openai]);
    expect(await catalog.list()).toEqual([]);
    expect(await catalog.list()).toEqual([]);
    expect(openai.listSignals).toHaveLength(1);
    vi.advanceTimersByTime(31_000);
    expect(await catalog.list()).toEqual(GPT);
  });

  it("asks a provider once for calls that overlap", async () => {
    let release: (models: Model[]) => void = () => {};
    const openai = new ScriptedProvider("openai", {
      models: () =>
        new Promise<Model[]>((resolve) => {
          release = resolve;
        }),
    });
    const catalog = catalogOf([openai]);
    const first = catalog.list();
    const second = catalog.list();
    release(GPT);
    expect(await first).toEqual(GPT);
    expect(await second).toEqual(GPT);
    expect(openai.listSignals).toHaveLength(1);
  });

  it("gives the provider a signal that has not fired", async () => {
    const openai = listing("openai", GPT);
    await catalogOf([openai]).list();
    expect(openai.listSignals[0]).toBeInstanceOf(AbortSignal);
    expect(openai.listSignals[0]?.aborted).toBe(false);
  });

  it("prefixes ids that would not route back to the provider that listed them", async () => {
    const openai = listing("openai", [
      model("gpt-4o", "openai"),
      model("anthropic.claude-3-haiku-20240307-v1:0", "some-compatible-server", 5n),
      model("meta-llama/Llama-3.1-8B-Instruct", "meta"),
    ]);
    const bedrock = listing("bedrock", [
      model("anthropic.claude-3-haiku-20240307-v1:0", "anthropic"),
      model("my-imported-model", "custom", 7n),
    ]);
    const list = await catalogOf([openai, bedrock]).list();
    expect(list.map((entry) => [entry.id, entry.ownedBy, entry.created])).toEqual([
      ["gpt-4o", "openai", 0n],
      ["openai/anthropic.claude-3-haiku-20240307-v1:0", "some-compatible-server", 5n],
      ["meta-llama/Llama-3.1-8B-Instruct", "meta", 0n],
      ["anthropic.claude-3-haiku-20240307-v1:0", "anthropic", 0n],
      ["bedrock/my-imported-model", "custom", 7n],
    ]);
    for (const entry of list) expect(entry.$typeName).toBe("openbedrock.v1.Model");
  });

  it("prefixes an id that names its provider itself, so it reaches the upstream unchanged", async () => {
    // OpenRouter-style ids on an OpenAI-compatible upstream.
    const openai = listing("openai", [model("openai/gpt-4o", "openai"), model("bedrock/x", "someone")]);
    const list = await catalogOf([openai]).list();
    expect(list.map((entry) => entry.id)).toEqual(["openai/openai/gpt-4o", "openai/bedrock/x"]);
    expect(routeModel("openai/openai/gpt-4o", DEFAULT_MODEL)).toEqual({ provider: "openai", modelId: "openai/gpt-4o" });
  });
});

describe("ModelCatalog with a models file", () => {
  const SMART = {
    name: "smart",
    targets: [{ provider: "bedrock-west", modelId: "anthropic.claude-3-haiku-20240307-v1:0" }],
  };

  function catalogWith(providers: ScriptedProvider[], aliases = [SMART]) {
    const routes = routesOf(providers, { defaultOpenAIModel: DEFAULT_MODEL, aliases });
    return { routes, catalog: new ModelCatalog(() => routes, silentLogger) };
  }

  it("lists the models file's names first, owned by open-bedrock", async () => {
    const { catalog } = catalogWith([listing("openai", GPT)]);
    const list = await catalog.list();
    expect(list.map((entry) => [entry.id, entry.ownedBy])).toEqual([
      ["smart", ALIAS_OWNER],
      ["gpt-4o", "openai"],
      ["gpt-4o-mini", "openai"],
    ]);
  });

  it("lists a named provider's models behind its name, each once, all routing back to it", async () => {
    const west = listing("bedrock-west", [...CLAUDE, ...TITAN, ...CLAUDE]);
    const { catalog, routes } = catalogWith([listing("bedrock", [...CLAUDE, ...TITAN]), west], []);
    const list = await catalog.list();
    expect(ids(list)).toEqual([
      "anthropic.claude-3-5-sonnet-20240620-v1:0",
      "amazon.titan-text-express-v1",
      "bedrock-west/anthropic.claude-3-5-sonnet-20240620-v1:0",
      "bedrock-west/amazon.titan-text-express-v1",
    ]);
    expect(routes.resolve(list[2]?.id ?? "")).toEqual({
      targets: [{ provider: "bedrock-west", modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0" }],
    });
  });

  it("lists a model whose id a models-file name takes behind its provider, so both stay reachable", async () => {
    const { catalog } = catalogWith([listing("openai", GPT)], [{ name: "gpt-4o", targets: SMART.targets }]);
    expect(ids(await catalog.list())).toEqual(["gpt-4o", "openai/gpt-4o", "gpt-4o-mini"]);
  });

  it("lists a provider a reload replaced afresh, and keeps the list of one it kept", async () => {
    const openai = listing("openai", GPT);
    let routes = routesOf([openai], { defaultOpenAIModel: DEFAULT_MODEL });
    const catalog = new ModelCatalog(() => routes, silentLogger);
    await catalog.list();
    routes = routesOf([openai], { defaultOpenAIModel: DEFAULT_MODEL, aliases: [SMART] });
    expect(ids(await catalog.list())).toEqual(["smart", "gpt-4o", "gpt-4o-mini"]);
    expect(openai.listSignals).toHaveLength(1);
    const replaced = listing("openai", CLAUDE);
    routes = routesOf([replaced], { defaultOpenAIModel: DEFAULT_MODEL });
    expect(ids(await catalog.list())).toEqual(["openai/anthropic.claude-3-5-sonnet-20240620-v1:0"]);
  });
});

describe("ModelCatalog properties", () => {
  it("routes every listed id back to the same model of the provider that listed it", async () => {
    const listedId = anyText(40, 1).filter((id) => id.trim() === id && id !== "openai/" && id !== "bedrock/");
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<ProviderName>("openai", "bedrock"),
        fc.uniqueArray(listedId, { maxLength: 5 }),
        async (name, listed) => {
          const list = await catalogOf([
            listing(
              name,
              listed.map((id) => model(id)),
            ),
          ]).list();
          expect(list).toHaveLength(listed.length);
          list.forEach((entry, index) => {
            expect(routeModel(entry.id, DEFAULT_MODEL)).toEqual({ provider: name, modelId: listed[index] });
          });
        },
      ),
    );
  });
});
