import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppConfig } from "./config/load-config.js";
import type { ModelsFile } from "./config/models-file.js";
import { modelsFileSecrets } from "./config/named-provider-configs.js";
import { NO_PROVIDER_WARNING } from "./config/startup-warnings.js";
import { anthropicModelNames, claudeGeography } from "./core/anthropic-model-names.js";
import { NO_OBSERVER } from "./core/chat-observer.js";
import { ChatService } from "./core/chat-service.js";
import { EmbeddingService } from "./core/embedding-service.js";
import type { Logger } from "./core/logger.js";
import { MessagesService } from "./core/messages-service.js";
import { ModelCatalog } from "./core/model-catalog.js";
import type { ProviderName } from "./core/model-router.js";
import type { ModelRoutes } from "./core/model-routes.js";
import { registerSecrets } from "./core/redact-secrets.js";
import { TargetCooldown } from "./core/target-cooldown.js";
import { GatewayMetrics } from "./metrics/gateway-metrics.js";
import { loadSdkExchanges, ProviderSetup } from "./provider-setup.js";
import type { RetryPolicy } from "./providers/upstream/retry-policy.js";
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
  /**
   * Puts a newly read models file in force (undefined: none): calls that
   * began keep the routing they began with, the next ones take the new.
   */
  reloadModels(file: ModelsFile | undefined): void;
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

/** Every secret of the configuration, which nothing the server sends or logs may contain. */
export function configuredSecrets(config: AppConfig): (string | undefined)[] {
  return [
    ...config.clientKeys.keys,
    config.openai?.apiKey,
    config.bedrock?.credentials?.secretAccessKey,
    config.bedrock?.credentials?.sessionToken,
    config.bedrock?.bearerToken,
    ...(config.modelsFile ? modelsFileSecrets(config.modelsFile) : []),
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
  options: ServerOptions = {},
): Promise<RunningServer> {
  // Each registration is taken back when the server closes; a reload adds the new file's.
  const registeredSecrets = [registerSecrets(...configuredSecrets(config))];
  const forgetSecrets = () => {
    for (const forget of registeredSecrets) forget();
  };
  const metrics = config.metricsEnabled ? new GatewayMetrics() : undefined;
  const observer = metrics?.observer ?? NO_OBSERVER;
  // Each retry in place is a log line and a count, whichever provider makes it.
  const retry = (provider: ProviderName): RetryPolicy => ({
    retries: config.upstreamRetries,
    onRetry: ({ model, retry: number, delayMs, error }) => {
      logger.warn(
        {
          provider,
          model,
          retry: number,
          delayMs,
          error: error.name,
          status: error.httpStatus,
          message: error.message,
        },
        "upstream call failed: retrying",
      );
      observer.retried(provider, error);
    },
  });
  const setup = new ProviderSetup(config, retry, await loadSdkExchanges(config));
  let routes: ModelRoutes = setup.routes(config.modelsFile);
  for (const warning of config.modelsFile?.warnings ?? []) logger.warn(warning);
  const catalog = new ModelCatalog(() => routes, logger, observer);
  // One record of resting targets for every front door: chat, embeddings and Messages reach the same targets.
  const cooldown = new TargetCooldown(config.cooldown, (target) => observer.cooledDown(target));
  const chat = new ChatService({
    routes: () => routes,
    catalog,
    cooldown,
    observer,
    maxMessages: config.limits.maxMessages,
  });
  const embeddings = new EmbeddingService({ routes: () => routes, cooldown, observer });
  const messages = new MessagesService({
    routes: () => routes,
    // Anthropic's names go to the inference profiles of the environment's Bedrock region.
    names: anthropicModelNames(claudeGeography(config.bedrock?.region ?? "us-east-1")),
    cooldown,
    observer,
    maxMessages: config.limits.maxMessages,
  });
  // Fires when closing starts: health turns NOT_SERVING and readiness 503, while running calls go on.
  const draining = new AbortController();
  const shutdown = new AbortController();
  // Every running RPC listens to it; there is no leak to warn about.
  setMaxListeners(0, shutdown.signal);
  // Asked on every call: a reload of the models file changes the providers.
  const providers = () =>
    Object.fromEntries(routes.registry.names().map((name) => [name, routes.registry.isConfigured(name)]));
  // Alive but of no use yet: whoever checks the health learns why.
  const warnings = () => (routes.registry.configured().length === 0 ? { warnings: [NO_PROVIDER_WARNING] } : {});
  const handler = createRequestHandler({
    chat,
    embeddings,
    messages,
    verifier: new ApiKeyVerifier(config.clientKeys.keys),
    logger,
    maxBodyBytes: config.limits.maxBodyBytes,
    health: () => ({
      status: draining.signal.aborted ? "draining" : "ok",
      version: VERSION,
      providers: providers(),
      ...warnings(),
    }),
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
      providers: routes.registry.configured(),
      clientKeys: config.clientKeys.source,
      ...(config.bedrock ? { awsCredentials: config.bedrock.credentialSource } : {}),
      ...(config.modelsFile ? modelsFileFacts(config.modelsFile) : {}),
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
    reloadModels(file) {
      if (file) registeredSecrets.push(registerSecrets(...modelsFileSecrets(file)));
      routes = setup.routes(file);
      for (const warning of file?.warnings ?? []) logger.warn(warning);
      logger.info(
        { providers: routes.registry.configured(), ...(file ? modelsFileFacts(file) : {}) },
        "models file loaded",
      );
    },
  };
}

/** What the start-up and reload lines say about a models file. */
function modelsFileFacts(file: ModelsFile) {
  return { modelsFile: file.path, models: file.models.map((model) => model.name) };
}
