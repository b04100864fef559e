/**
 * Fallback across the targets of a models-file model, through ChatService
 * with scripted providers: which failures pass a call on, where a stream may
 * still move and where not, what the caller and the observer are told.
 */
import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ChatCompletionChunk, ChatCompletionRequestSchema } from "../../gen/openbedrock/v1/chat_pb.js";
import type { CallObserver, ChatObserver } from "../../src/core/chat-observer.js";
import { type CallContext, ChatService } from "../../src/core/chat-service.js";
import {
  APIConnectionError,
  AuthenticationError,
  ConfigurationError,
  GatewayError,
  type GatewayErrorClass,
  InternalError,
  InvalidRequestError,
  ModelNotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  TimeoutError,
  UpstreamError,
} from "../../src/core/errors.js";
import { silentLogger } from "../../src/core/logger.js";
import { ModelCatalog } from "../../src/core/model-catalog.js";
import { type ModelRoute, targetName } from "../../src/core/model-router.js";
import { ModelRoutes } from "../../src/core/model-routes.js";
import type { ProviderCall } from "../../src/core/provider.js";
import { ProviderRegistry } from "../../src/core/provider-registry.js";
import { type CooldownSettings, TargetCooldown } from "../../src/core/target-cooldown.js";
import { fallsBack } from "../../src/core/try-targets.js";
import {
  answerFrom,
  chunksOf,
  ScriptedProvider,
  type ScriptedProviderOptions,
  textChunks,
} from "../helpers/scripted-provider.js";

/** What one target does when called. */
type Outcome = "answers" | GatewayErrorClass | { afterFirstChunk: GatewayErrorClass };

const FALLS_BACK: GatewayErrorClass[] = [
  RateLimitError,
  ServiceUnavailableError,
  UpstreamError,
  APIConnectionError,
  TimeoutError,
  InternalError,
];
const STAYS: GatewayErrorClass[] = [
  InvalidRequestError,
  AuthenticationError,
  PermissionDeniedError,
  ModelNotFoundError,
];

const PROVIDERS = ["p0", "p1", "p2"] as const;

/** Providers that do what `outcomes` says for each target (by `<provider>/<model id>`), and record each call. */
function scripted(outcomes: ReadonlyMap<string, Outcome>): ScriptedProvider[] {
  const outcomeOf = (name: string, call: ProviderCall): Outcome => outcomes.get(`${name}/${call.modelId}`) ?? "answers";
  return PROVIDERS.map(
    (name) =>
      new ScriptedProvider(name, {
        answer: async (_request, call) => {
          const outcome = outcomeOf(name, call);
          if (outcome === "answers") return answerFrom(`${name}/${call.modelId}`, call);
          const Class = typeof outcome === "function" ? outcome : outcome.afterFirstChunk;
          throw new Class(`${name}/${call.modelId} failed`);
        },
        stream: (_request, call) => {
          const outcome = outcomeOf(name, call);
          return (async function* () {
            if (typeof outcome === "function") throw new outcome(`${name}/${call.modelId} failed`);
            const chunks = textChunks(call.modelId, [`from ${name}/${call.modelId}`]);
            yield* chunksOf(chunks.slice(0, 1));
            if (outcome !== "answers") throw new outcome.afterFirstChunk(`${name}/${call.modelId} broke`);
            yield* chunksOf(chunks.slice(1));
          })();
        },
      }),
  );
}

interface Recorded {
  attempted: string[];
  fellBack: string[];
  cooledDown: string[];
}

function recordingObserver(): ChatObserver & { recorded: Recorded } {
  const recorded: Recorded = { attempted: [], fellBack: [], cooledDown: [] };
  const call: CallObserver = {
    routed() {},
    attempted: (target, error) => recorded.attempted.push(`${targetName(target.route)} ${error?.name ?? "ok"}`),
    fellBack: (target, error) => recorded.fellBack.push(`${targetName(target.route)} ${error.name}`),
    firstChunk() {},
    usage() {},
    end() {},
  };
  return {
    recorded,
    begin: () => call,
    upstreamFailed() {},
    retried() {},
    cooledDown: (target) => recorded.cooledDown.push(targetName(target)),
  };
}

interface Setup {
  chat: ChatService;
  providers: ScriptedProvider[];
  observer: ReturnType<typeof recordingObserver>;
  /** Targets called, in order. */
  called(): string[];
}

function setup(
  targets: readonly ModelRoute[],
  outcomes: ReadonlyMap<string, Outcome>,
  cooldown: CooldownSettings = { failures: 0, seconds: 0 },
  options: { unconfigured?: string } = {},
): Setup {
  const providers = scripted(outcomes).filter((provider) => provider.name !== options.unconfigured);
  const registry = new ProviderRegistry(
    Object.fromEntries(providers.map((provider) => [provider.name, () => provider])),
    options.unconfigured ? { [options.unconfigured]: "set ITS_KEY" } : {},
  );
  const routes = new ModelRoutes(registry, {
    defaultOpenAIModel: "gpt-4o-mini",
    aliases: [{ name: "smart", targets }],
  });
  const observer = recordingObserver();
  const chat = new ChatService({
    routes: () => routes,
    catalog: new ModelCatalog(() => routes, silentLogger),
    cooldown: new TargetCooldown(cooldown, (target) => observer.cooledDown(target)),
    observer,
  });
  const calls: { at: number; target: string }[] = [];
  let order = 0;
  for (const provider of providers) {
    const push = provider.calls.push.bind(provider.calls);
    provider.calls.push = (...items) => {
      for (const item of items) calls.push({ at: order++, target: `${provider.name}/${item.call.modelId}` });
      return push(...items);
    };
  }
  return { chat, providers, observer, called: () => calls.map((call) => call.target) };
}

/** Gives one provider of a setup another way to answer. */
function answerWith(providers: ScriptedProvider[], name: string, answer: ScriptedProviderOptions["answer"]): void {
  const provider = providers.find((candidate) => candidate.name === name);
  if (!provider) throw new Error(`no provider ${name}`);
  Object.assign(provider.options, { answer });
}

const request = (model = "smart") =>
  create(ChatCompletionRequestSchema, { model, messages: [{ role: "user", content: "Hello" }] });

function context(told: string[] = [], signal = new AbortController().signal): CallContext {
  return { protocol: "grpc", signal, logger: silentLogger, onTarget: (target) => told.push(target) };
}

async function failureOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error("the call succeeded");
}

/** A stream's text, or the error it ended with after that text. */
async function readStream(chunks: AsyncIterable<ChatCompletionChunk>): Promise<{ text: string; error?: GatewayError }> {
  let text = "";
  try {
    for await (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? "";
    return { text };
  } catch (error) {
    return { text, error: error as GatewayError };
  }
}

const A = { provider: "p0", modelId: "m-a" };
const B = { provider: "p1", modelId: "m-b" };
const C = { provider: "p2", modelId: "m-c" };

describe("fallsBack", () => {
  it.each(FALLS_BACK.map((Class) => [Class.name, Class]))("passes the call on after %s", (_name, Class) => {
    expect(fallsBack(new Class("failed"))).toBe(true);
  });

  it("passes the call on when a provider is not configured", () => {
    expect(fallsBack(new ConfigurationError("not configured"))).toBe(true);
  });

  it.each(STAYS.map((Class) => [Class.name, Class]))("keeps the call after %s", (_name, Class) => {
    expect(fallsBack(new Class("failed"))).toBe(false);
  });
});

describe("a models-file model, unary", () => {
  it.each(FALLS_BACK.map((Class) => [Class.name, Class]))(
    "tries the next target after %s, and says which answered",
    async (_name, Class) => {
      const { chat, called, observer } = setup([A, B], new Map([[targetName(A), Class]]));
      const told: string[] = [];
      const answer = await chat.createChatCompletion(request(), context(told));
      expect(answer.choices[0]?.message?.content).toBe("answered by p1/m-b");
      expect(called()).toEqual(["p0/m-a", "p1/m-b"]);
      expect(told).toEqual(["p0/m-a", "p1/m-b"]);
      expect(observer.recorded).toEqual({
        attempted: [`p0/m-a ${Class.name}`, "p1/m-b ok"],
        fellBack: [`p0/m-a ${Class.name}`],
        cooledDown: [],
      });
    },
  );

  it("tries the next target when a provider is not configured, without asking an upstream", async () => {
    const { chat, called } = setup([A, B], new Map(), undefined, { unconfigured: "p0" });
    const answer = await chat.createChatCompletion(request(), context());
    expect(answer.choices[0]?.message?.content).toBe("answered by p1/m-b");
    expect(called()).toEqual(["p1/m-b"]);
  });

  it.each(STAYS.map((Class) => [Class.name, Class]))(
    "answers %s at once: the caller's own fault, or an answer about the request",
    async (_name, Class) => {
      const { chat, called, observer } = setup([A, B], new Map([[targetName(A), Class]]));
      const failed = await failureOf(chat.createChatCompletion(request(), context()));
      expect(failed).toBeInstanceOf(Class);
      expect(called()).toEqual(["p0/m-a"]);
      expect(observer.recorded.fellBack).toEqual([]);
    },
  );

  it("answers the last target's failure when every target fails", async () => {
    const outcomes = new Map<string, Outcome>([
      [targetName(A), RateLimitError],
      [targetName(B), TimeoutError],
      [targetName(C), ServiceUnavailableError],
    ]);
    const { chat, called } = setup([A, B, C], outcomes);
    const failed = await failureOf(chat.createChatCompletion(request(), context()));
    expect(failed).toBeInstanceOf(ServiceUnavailableError);
    expect(failed.message).toBe("p2/m-c failed");
    expect(called()).toEqual(["p0/m-a", "p1/m-b", "p2/m-c"]);
  });

  it("tries no further target once the caller has left", async () => {
    const caller = new AbortController();
    const { chat, called, providers } = setup([A, B], new Map());
    answerWith(providers, "p0", async () => {
      caller.abort(new TimeoutError("The caller's deadline passed."));
      throw new APIConnectionError("Could not reach p0.");
    });
    const failed = await failureOf(chat.createChatCompletion(request(), context([], caller.signal)));
    expect(failed).toBeInstanceOf(TimeoutError);
    expect(failed.message).toBe("The caller's deadline passed.");
    expect(called()).toEqual(["p0/m-a"]);
  });

  it("routes a model that is not the models file's as before: one target", async () => {
    const { chat, called } = setup([A, B], new Map([[targetName(C), RateLimitError]]));
    const told: string[] = [];
    const failed = await failureOf(chat.createChatCompletion(request("p2/m-c"), context(told)));
    expect(failed).toBeInstanceOf(RateLimitError);
    expect(called()).toEqual(["p2/m-c"]);
    expect(told).toEqual(["p2/m-c"]);
  });
});

describe("a models-file model, streamed", () => {
  it("moves to the next target when a stream fails before its first chunk", async () => {
    const { chat, called } = setup([A, B], new Map([[targetName(A), RateLimitError]]));
    const told: string[] = [];
    const read = await readStream(chat.streamChatCompletion(request(), context(told)));
    expect(read).toEqual({ text: "from p1/m-b" });
    expect(called()).toEqual(["p0/m-a", "p1/m-b"]);
    expect(told).toEqual(["p0/m-a", "p1/m-b"]);
  });

  it("never moves once the first chunk is in hand: the failure is the caller's", async () => {
    const { chat, called, observer } = setup([A, B], new Map([[targetName(A), { afterFirstChunk: UpstreamError }]]));
    const read = await readStream(chat.streamChatCompletion(request(), context()));
    expect(read.text).toBe("");
    expect(read.error).toBeInstanceOf(UpstreamError);
    expect(read.error?.message).toBe("p0/m-a broke");
    expect(called()).toEqual(["p0/m-a"]);
    expect(observer.recorded).toMatchObject({ attempted: ["p0/m-a ok"], fellBack: [] });
  });
});

describe("cooldown", () => {
  const RESTING: CooldownSettings = { failures: 2, seconds: 3600 };

  it("skips a target that failed COOLDOWN_FAILURES requests in a row, and tells the observer once", async () => {
    const { chat, called, observer } = setup([A, B], new Map([[targetName(A), ServiceUnavailableError]]), RESTING);
    for (let call = 0; call < 4; call += 1) await chat.createChatCompletion(request(), context());
    expect(called()).toEqual(["p0/m-a", "p1/m-b", "p0/m-a", "p1/m-b", "p1/m-b", "p1/m-b"]);
    expect(observer.recorded.cooledDown).toEqual(["p0/m-a"]);
  });

  it("still tries a resting target that is the last one left", async () => {
    const outcomes = new Map<string, Outcome>([
      [targetName(A), ServiceUnavailableError],
      [targetName(B), RateLimitError],
    ]);
    const { chat, called } = setup([A, B], outcomes, RESTING);
    for (let call = 0; call < 3; call += 1) await failureOf(chat.createChatCompletion(request(), context()));
    // Both rest after two calls; A is skipped, B is the last and is tried.
    expect(called()).toEqual(["p0/m-a", "p1/m-b", "p0/m-a", "p1/m-b", "p1/m-b"]);
  });

  it("counts only failures in a row: an answer in between clears the count", async () => {
    let fail = true;
    const { chat, called, providers } = setup([A, B], new Map(), RESTING);
    answerWith(providers, "p0", async (_request, call) => {
      if (fail) throw new RateLimitError("throttled");
      return answerFrom("p0", call);
    });
    await chat.createChatCompletion(request(), context());
    fail = false;
    await chat.createChatCompletion(request(), context());
    fail = true;
    await chat.createChatCompletion(request(), context());
    await chat.createChatCompletion(request(), context());
    expect(called().filter((target) => target === "p0/m-a")).toHaveLength(4);
  });

  it("does not count the caller's own faults", async () => {
    const { chat, called } = setup([A, B], new Map([[targetName(A), InvalidRequestError]]), RESTING);
    for (let call = 0; call < 3; call += 1) await failureOf(chat.createChatCompletion(request(), context()));
    expect(called()).toEqual(["p0/m-a", "p0/m-a", "p0/m-a"]);
  });
});

describe("fallback, for any outcomes", () => {
  const outcome = fc.oneof(
    fc.constant<Outcome>("answers"),
    fc.constantFrom<Outcome>(...FALLS_BACK, ...STAYS),
    fc.constantFrom<Outcome>(...FALLS_BACK.map((Class) => ({ afterFirstChunk: Class }))),
  );
  const targets = fc.uniqueArray(
    fc.record({ provider: fc.constantFrom(...PROVIDERS), modelId: fc.constantFrom("m1", "m2", "m3") }),
    { minLength: 1, maxLength: 5, selector: targetName },
  );
  const scenario = targets.chain((list) =>
    fc.record({
      targets: fc.constant(list),
      outcomes: fc.array(outcome, { minLength: list.length, maxLength: list.length }),
    }),
  );

  /** What the caller must get: the first answer in order, else the failure that ended the trying. */
  function expected(list: readonly ModelRoute[], outcomes: readonly Outcome[], stream: boolean) {
    for (const [index, route] of list.entries()) {
      const result = outcomes[index] ?? "answers";
      const last = index === list.length - 1;
      if (result === "answers") return { target: targetName(route), called: index + 1 };
      if (typeof result !== "function") {
        // Unary: the call fails as a whole; a stream has its first chunk, so it is this target's.
        if (stream) return { target: targetName(route), called: index + 1, error: result.afterFirstChunk };
        if (!fallsBack(new result.afterFirstChunk("")) || last) {
          return { called: index + 1, error: result.afterFirstChunk };
        }
        continue;
      }
      if (!fallsBack(new result("")) || last) return { called: index + 1, error: result };
    }
    throw new Error("no target");
  }

  it("a unary call gets the first answer in target order or the failure that ended it; nothing is called after an answer", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ targets: list, outcomes }) => {
        const { chat, called } = setup(
          list,
          new Map(list.map((route, index) => [targetName(route), outcomes[index] ?? "answers"])),
        );
        const want = expected(list, outcomes, false);
        const got = chat.createChatCompletion(request(), context());
        if (want.error) expect(await failureOf(got)).toBeInstanceOf(want.error);
        else expect((await got).choices[0]?.message?.content).toBe(`answered by ${want.target}`);
        expect(called()).toEqual(list.slice(0, want.called).map(targetName));
      }),
    );
  });

  it("a stream gets the first target whose first chunk came, and no target after it is called", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ targets: list, outcomes }) => {
        const { chat, called } = setup(
          list,
          new Map(list.map((route, index) => [targetName(route), outcomes[index] ?? "answers"])),
        );
        const want = expected(list, outcomes, true);
        const read = await readStream(chat.streamChatCompletion(request(), context()));
        if (want.target) expect(read.text).toBe(want.error ? "" : `from ${want.target}`);
        if (want.error) expect(read.error).toBeInstanceOf(want.error);
        else expect(read.error).toBeUndefined();
        expect(called()).toEqual(list.slice(0, want.called).map(targetName));
      }),
    );
  });
});
