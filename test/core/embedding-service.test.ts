import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { Usage } from "../../gen/openbedrock/v1/chat_pb.js";
import {
  type CreateEmbeddingsRequest,
  CreateEmbeddingsRequestSchema,
  type CreateEmbeddingsResponse,
  CreateEmbeddingsResponseSchema,
} from "../../gen/openbedrock/v1/embedding_pb.js";
import type { CallObserver, ChatObserver } from "../../src/core/chat-observer.js";
import type { CallContext } from "../../src/core/chat-service.js";
import { EmbeddingService } from "../../src/core/embedding-service.js";
import {
  CanceledError,
  ConfigurationError,
  type GatewayError,
  InvalidRequestError,
  RateLimitError,
} from "../../src/core/errors.js";
import { silentLogger } from "../../src/core/logger.js";
import type { ModelAlias } from "../../src/core/model-routes.js";
import type { ProviderCall } from "../../src/core/provider.js";
import { type CooldownSettings, TargetCooldown } from "../../src/core/target-cooldown.js";
import { routesOf, ScriptedProvider } from "../helpers/scripted-provider.js";

type Embed = (request: CreateEmbeddingsRequest, call: ProviderCall) => Promise<CreateEmbeddingsResponse>;

/** A scripted provider that also makes embeddings. */
class EmbeddingProvider extends ScriptedProvider {
  readonly embedded: { request: CreateEmbeddingsRequest; call: ProviderCall }[] = [];
  constructor(
    name: string,
    readonly embed: Embed = async (request, call) =>
      create(CreateEmbeddingsResponseSchema, {
        data: request.input.map((_, index) => ({ index, embedding: [index, 0.5] })),
        model: call.modelId,
        usage: { promptTokens: 7, totalTokens: 7 },
      }),
  ) {
    super(name);
  }

  createEmbeddings(request: CreateEmbeddingsRequest, call: ProviderCall): Promise<CreateEmbeddingsResponse> {
    this.embedded.push({ request, call });
    return this.embed(request, call);
  }
}

/** What the service told the observer, in order. */
class RecordingObserver implements ChatObserver {
  readonly events: unknown[][] = [];
  begin(protocol: string, operation: string): CallObserver {
    this.events.push(["begin", protocol, operation]);
    return {
      routed: (provider, model) => this.events.push(["routed", provider, model]),
      attempted: () => {},
      fellBack: () => {},
      firstChunk: () => this.events.push(["firstChunk"]),
      usage: (usage: Usage) => this.events.push(["usage", usage.promptTokens, usage.completionTokens]),
      end: (_seconds, error) => this.events.push(["end", error?.name]),
    };
  }
  upstreamFailed(provider: string, error: GatewayError): void {
    this.events.push(["upstreamFailed", provider, error.name]);
  }
  retried(): void {}
  cooledDown(): void {}
}

function service(
  providers: ScriptedProvider[],
  observer?: ChatObserver,
  options: { aliases?: ModelAlias[]; cooldown?: CooldownSettings } = {},
): EmbeddingService {
  const routes = routesOf(providers, options.aliases ? { aliases: options.aliases } : {});
  return new EmbeddingService({
    routes: () => routes,
    ...(options.cooldown ? { cooldown: new TargetCooldown(options.cooldown, () => {}) } : {}),
    ...(observer ? { observer } : {}),
  });
}

type RequestInit = Exclude<MessageInitShape<typeof CreateEmbeddingsRequestSchema>, CreateEmbeddingsRequest>;
const request = (init: Partial<RequestInit> = {}) =>
  create(CreateEmbeddingsRequestSchema, { model: "text-embedding-3-small", input: ["a", "b"], ...init });

function context(signal: AbortSignal = new AbortController().signal, onTarget?: (target: string) => void): CallContext {
  return { protocol: "grpc", signal, logger: silentLogger, ...(onTarget ? { onTarget } : {}) };
}

const throttled = () => Promise.reject(new RateLimitError("Too many requests, please wait before trying again."));

/** `vectors`: a models-file name whose targets are two Bedrock accounts' Titan embeddings. */
const VECTORS: ModelAlias = {
  name: "vectors",
  targets: [
    { provider: "bedrock", modelId: "amazon.titan-embed-text-v2:0" },
    { provider: "bedrock-west", modelId: "amazon.titan-embed-text-v2:0" },
  ],
};

describe("EmbeddingService", () => {
  it("routes by the model as chat does: prefixes, Bedrock ids, anything else to OpenAI", async () => {
    const openai = new EmbeddingProvider("openai");
    const bedrock = new EmbeddingProvider("bedrock");
    const embeddings = service([openai, bedrock]);
    await embeddings.createEmbeddings(request(), context());
    await embeddings.createEmbeddings(request({ model: "amazon.titan-embed-text-v2:0" }), context());
    await embeddings.createEmbeddings(request({ model: "bedrock/us.cohere.embed-v4:0" }), context());
    await embeddings.createEmbeddings(request({ model: "openai/bge-m3" }), context());
    expect(openai.embedded.map(({ call }) => call.modelId)).toEqual(["text-embedding-3-small", "bge-m3"]);
    expect(bedrock.embedded.map(({ call }) => call.modelId)).toEqual([
      "amazon.titan-embed-text-v2:0",
      "us.cohere.embed-v4:0",
    ]);
  });

  it("answers the provider's vectors and tells the observer the call, its route and its tokens", async () => {
    const observer = new RecordingObserver();
    const answer = await service([new EmbeddingProvider("openai")], observer).createEmbeddings(request(), context());
    expect(answer.data.map((item) => item.embedding)).toEqual([
      [0, 0.5],
      [1, 0.5],
    ]);
    expect(observer.events).toEqual([
      ["begin", "grpc", "embeddings"],
      ["routed", "openai", "text-embedding-3-small"],
      ["usage", 7, 0],
      ["end", undefined],
    ]);
  });

  it("refuses a bad request before routing, and a provider without embeddings before calling it", async () => {
    const observer = new RecordingObserver();
    const chatOnly = new ScriptedProvider("openai");
    const embeddings = service([chatOnly], observer);
    const empty = await embeddings.createEmbeddings(request({ input: [] }), context()).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(InvalidRequestError);
    const noEmbeddings = await embeddings.createEmbeddings(request(), context()).catch((e: unknown) => e);
    expect(noEmbeddings).toBeInstanceOf(InvalidRequestError);
    expect((noEmbeddings as InvalidRequestError).message).toBe("The openai provider makes no embeddings.");
    // The caller's mistakes are not upstream failures.
    expect(observer.events.filter(([kind]) => kind === "upstreamFailed")).toEqual([]);
    expect(observer.events.filter(([kind]) => kind === "end")).toEqual([
      ["end", "InvalidRequestError"],
      ["end", "InvalidRequestError"],
    ]);
  });

  it("says which provider is not configured", async () => {
    const failure = await service([new EmbeddingProvider("openai")])
      .createEmbeddings(request({ model: "amazon.titan-embed-text-v2:0" }), context())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigurationError);
  });

  it("reports a provider's failure as the upstream's, and one after the caller left as the caller's", async () => {
    const observer = new RecordingObserver();
    const throttled = new EmbeddingProvider("bedrock", () => Promise.reject(new RateLimitError("slow down")));
    const embeddings = service([throttled], observer);
    const failure = await embeddings
      .createEmbeddings(request({ model: "cohere.embed-english-v3" }), context())
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(observer.events).toContainEqual(["upstreamFailed", "bedrock", "RateLimitError"]);

    const controller = new AbortController();
    controller.abort();
    const left = await embeddings
      .createEmbeddings(request({ model: "cohere.embed-english-v3" }), context(controller.signal))
      .catch((e: unknown) => e);
    expect(left).toBeInstanceOf(CanceledError);
  });

  it("tries a models-file name's targets in order, falling back from a throttled one, and names each target", async () => {
    const observer = new RecordingObserver();
    const east = new EmbeddingProvider("bedrock", throttled);
    const west = new EmbeddingProvider("bedrock-west");
    const targets: string[] = [];
    const answer = await service([east, west], observer, { aliases: [VECTORS] }).createEmbeddings(
      request({ model: "vectors" }),
      context(undefined, (target) => targets.push(target)),
    );
    expect(answer.model).toBe("amazon.titan-embed-text-v2:0");
    expect(answer.data).toHaveLength(2);
    expect(targets).toEqual(["bedrock/amazon.titan-embed-text-v2:0", "bedrock-west/amazon.titan-embed-text-v2:0"]);
    expect(east.embedded).toHaveLength(1);
    expect(west.embedded.map(({ request }) => request.input)).toEqual([["a", "b"]]);
    expect(observer.events).toEqual([
      ["begin", "grpc", "embeddings"],
      ["routed", "bedrock", "amazon.titan-embed-text-v2:0"],
      ["upstreamFailed", "bedrock", "RateLimitError"],
      ["routed", "bedrock-west", "amazon.titan-embed-text-v2:0"],
      ["usage", 7, 0],
      ["end", undefined],
    ]);
  });

  it("does not fall back on the caller's mistake, and answers the last target's failure when all fail", async () => {
    const refusing = new EmbeddingProvider("bedrock", () =>
      Promise.reject(new InvalidRequestError("dimensions must be 256, 512 or 1024.")),
    );
    const west = new EmbeddingProvider("bedrock-west");
    const refused = await service([refusing, west], undefined, { aliases: [VECTORS] })
      .createEmbeddings(request({ model: "vectors" }), context())
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidRequestError);
    expect(west.embedded).toEqual([]);

    const bothThrottled = service(
      [new EmbeddingProvider("bedrock", throttled), new EmbeddingProvider("bedrock-west", throttled)],
      undefined,
      { aliases: [VECTORS] },
    );
    const failure = await bothThrottled.createEmbeddings(request({ model: "vectors" }), context()).catch((e) => e);
    expect(failure).toBeInstanceOf(RateLimitError);
  });

  it("rests a target that keeps failing, as chat does", async () => {
    const east = new EmbeddingProvider("bedrock", throttled);
    const west = new EmbeddingProvider("bedrock-west");
    const embeddings = service([east, west], undefined, {
      aliases: [VECTORS],
      cooldown: { failures: 2, seconds: 60 },
    });
    for (let call = 0; call < 4; call += 1) await embeddings.createEmbeddings(request({ model: "vectors" }), context());
    // Two failures in a row, then it rests: the next calls go straight to the second target.
    expect(east.embedded).toHaveLength(2);
    expect(west.embedded).toHaveLength(4);
  });
});
