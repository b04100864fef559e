import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppConfig } from "./config/load-config.js";
import { NO_PROVIDER_WARNING } from "./config/startup-warnings.js";
import { AnthropicModelNames, claudeGeography } from "./core/anthropic-model-names.js";
import { ChatService } from "./core/chat-service.js";
import { EmbeddingService } from "./core/embedding-service.js";
import type { Logger } from "./core/logger.js";
import { MessagesService } from "./core/messages-service.js";
import { ModelCatalog } from "./core/model-catalog.js";
import { type ProviderFactories, ProviderRegistry } from "./core/provider-registry.js";
import { registerSecrets } from "./core/redact-secrets.js";
import { GatewayMetrics } from "./metrics/gateway-metrics.js";
import { createBedrockProvider } from "./providers/bedrock/create-bedrock-provider.js";
import { OpenAIProvider } from "./providers/openai/openai-provider.js";
import { createOpenAISdkExchange } from "./providers/openai/openai-sdk-exchange.js";
import { createOpenAIUndiciExchange } from "./providers/openai/openai-undici-exchange.js";
import { ApiKeyVerifier } from "./transport/auth.js";
import type { MetricsText } from "./transport/http-routes.js";
import { OnePortServer } from "./transport/one-port-server.js";
import { createRequestHandler } from "./transport/request-handler.js";
import { VERSION } from "./version.js";

export interface RunningServer {
  /** `http://host:port` (or https with TLS): where clients reach the server. */
  url: string;
  port: number;
  host: string;
  /** Stops accepting, lets running calls finish for up to `graceMs` (SHUTDOWN_GRACE_MS by default), then ends them. */
  close(graceMs?: number): Promise<void>;
}

/** The log line that says where the server listens and with what. */
export interface StartLine {
  fields: Record<string, unknown>;
  message: string;
}

export interface ServerOptions {
  /** Where the start line goes; by default the log. */
  announce?: (line: StartLine) => void;
  /** Answers `GET /metrics`, given this process's own metrics; by default they are the answer. */
  metrics?: (own: GatewayMetrics) => () => Promise<MetricsText>;
}

/** Builds each configured provider; a provider without credentials is left out. */
export function providerFactories(config: AppConfig): ProviderFactories {
  const factories: ProviderFactories = {};
  const openai = config.openai;
  if (openai) {
    const exchange = openai.httpClient === "sdk" ? createOpenAISdkExchange : createOpenAIUndiciExchange;
    factories.openai = () =>
      new OpenAIProvider(
        exchange({ apiKey: openai.apiKey, baseURL: openai.baseURL, timeoutMs: config.upstreamTimeoutMs }),
      );
  }
  const bedrock = config.bedrock;
  if (bedrock) factories.bedrock = () => createBedrockProvider(bedrock, config.upstreamTimeoutMs);
  return factories;
}

/** Every secret of the configuration, which nothing the server sends or logs may contain. */
export function configuredSecrets(config: AppConfig): (string | undefined)[] {
  return [
    ...config.clientKeys.keys,
    config.openai?.apiKey,
    config.bedrock?.credentials?.secretAccessKey,
    config.bedrock?.credentials?.sessionToken,
    config.bedrock?.bearerToken,
  ];
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * The composition root: from a configuration, builds the providers, the
 * core and the transports, and serves them all on one port.
 */
export async function startServer(
  config: AppConfig,
  logger: Logger,
  factories: ProviderFactories = providerFactories(config),
  options: ServerOptions = {},
): Promise<RunningServer> {
  const forgetSecrets = registerSecrets(...configuredSecrets(config));
  const registry = new ProviderRegistry(factories);
  const metrics = config.metricsEnabled ? new GatewayMetrics() : undefined;
  const observer = metrics?.observer;
  const catalog = new ModelCatalog(registry, logger, config.defaultOpenAIModel, observer);
  const chat = new ChatService({
    registry,
    catalog,
    defaultOpenAIModel: config.defaultOpenAIModel,
    maxMessages: config.limits.maxMessages,
    ...(observer ? { observer } : {}),
  });
  const embeddings = new EmbeddingService({
    registry,
    defaultOpenAIModel: config.defaultOpenAIModel,
    ...(observer ? { observer } : {}),
  });
  const messages = new MessagesService({
    chat,
    registry,
    names: new AnthropicModelNames(claudeGeography(config.bedrock?.region ?? "us-east-1")),
    defaultOpenAIModel: config.defaultOpenAIModel,
    ...(observer ? { observer } : {}),
  });
  // Fires when closing starts: health turns NOT_SERVING and readiness 503, while running calls go on.
  const draining = new AbortController();
  const shutdown = new AbortController();
  // Every running RPC listens to it; there is no leak to warn about.
  setMaxListeners(0, shutdown.signal);
  const providers = Object.fromEntries(
    (["openai", "bedrock"] as const).map((name) => [name, registry.isConfigured(name)]),
  );
  // Alive but of no use yet: whoever checks the health learns why.
  const warnings = registry.configured().length === 0 ? { warnings: [NO_PROVIDER_WARNING] } : {};
  const handler = createRequestHandler({
    chat,
    embeddings,
    messages,
    verifier: new ApiKeyVerifier(config.clientKeys.keys),
    logger,
    maxBodyBytes: config.limits.maxBodyBytes,
    health: () => ({ status: draining.signal.aborted ? "draining" : "ok", version: VERSION, providers, ...warnings }),
    draining: draining.signal,
    shutdownSignal: shutdown.signal,
    corsOrigins: config.corsOrigins,
    reflection: config.grpcReflection,
    metrics: metrics && (options.metrics?.(metrics) ?? (() => metrics.text())),
  });
  const tls = config.tls
    ? { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) }
    : undefined;
  const server = new OnePortServer({ handler, logger, limits: config.limits, ...(tls ? { tls } : {}) });
  const address = await server.listen(config.port, config.host).catch((error: unknown) => {
    forgetSecrets();
    throw error;
  });
  const scheme = tls ? "https" : "http";
  const url = `${scheme}://${urlHost(config.host)}:${address.port}`;
  const announce = options.announce ?? ((line: StartLine) => logger.info(line.fields, line.message));
  announce({
    fields: {
      url,
      protocols: tls ? "HTTP/1.1, h2c, gRPC, TLS (h2, http/1.1)" : "HTTP/1.1, h2c, gRPC",
      providers: registry.configured(),
      clientKeys: config.clientKeys.source,
      ...(config.bedrock ? { awsCredentials: config.bedrock.credentialSource } : {}),
    },
    message: `open-bedrock ${VERSION} listening on ${url}`,
  });
  return {
    url,
    port: address.port,
    host: config.host,
    close: async (graceMs = config.shutdownGraceMs) => {
      draining.abort();
      try {
        await server.close(graceMs, () =>
          shutdown.abort(new ConnectError("The server is shutting down.", Code.Unavailable)),
        );
      } finally {
        forgetSecrets();
      }
    },
  };
}
