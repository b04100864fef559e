import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppConfig } from "./config/load-config.js";
import type { ModelsFile } from "./config/models-file.js";
import { modelsFileSecrets } from "./config/named-provider-configs.js";
import { NO_OBSERVER } from "./core/chat-observer.js";
import { ChatService } from "./core/chat-service.js";
import type { Logger } from "./core/logger.js";
import { ModelCatalog } from "./core/model-catalog.js";
import type { ProviderName } from "./core/model-router.js";
import type { ModelRoutes } from "./core/model-routes.js";
import { registerSecrets } from "./core/redact-secrets.js";
import { GatewayMetrics } from "./metrics/gateway-metrics.js";
import { ProviderSetup } from "./provider-setup.js";
import type { RetryPolicy } from "./providers/upstream/retry-policy.js";
import { ApiKeyVerifier } from "./transport/auth.js";
import { OnePortServer } from "./transport/one-port-server.js";
import { createRequestHandler } from "./transport/request-handler.js";
import { VERSION } from "./version.js";

/** Largest request body or RPC message: room for a few base64 images. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
export const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningServer {
  /** `http://host:port` (or https with TLS): where clients reach the server. */
  url: string;
  port: number;
  host: string;
  /** Stops accepting, lets running calls finish for up to `graceMs`, then ends them. */
  close(graceMs?: number): Promise<void>;
  /**
   * Puts a newly read models file in force (undefined: none): calls that
   * began keep the routing they began with, the next ones take the new.
   */
  reloadModels(file: ModelsFile | undefined): void;
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * The composition root: from a configuration, builds the providers, the
 * core and the transports, and serves them all on one port.
 */
export async function startServer(config: AppConfig, logger: Logger): Promise<RunningServer> {
  registerSecrets(
    ...config.clientKeys.keys,
    config.openai?.apiKey,
    config.bedrock?.credentials?.secretAccessKey,
    config.bedrock?.credentials?.sessionToken,
    config.bedrock?.bearerToken,
    ...(config.modelsFile ? modelsFileSecrets(config.modelsFile) : []),
  );
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
  const setup = new ProviderSetup(config, retry);
  let routes: ModelRoutes = setup.routes(config.modelsFile);
  for (const warning of config.modelsFile?.warnings ?? []) logger.warn(warning);
  const catalog = new ModelCatalog(() => routes, logger, observer);
  const chat = new ChatService({ routes: () => routes, catalog, cooldown: config.cooldown, observer });
  const shutdown = new AbortController();
  // Every running RPC listens to it; there is no leak to warn about.
  setMaxListeners(0, shutdown.signal);
  const providers = () =>
    Object.fromEntries(routes.registry.names().map((name) => [name, routes.registry.isConfigured(name)]));
  const handler = createRequestHandler({
    chat,
    verifier: new ApiKeyVerifier(config.clientKeys.keys),
    logger,
    maxBodyBytes: MAX_BODY_BYTES,
    health: () => ({ status: "ok", version: VERSION, providers: providers() }),
    shutdownSignal: shutdown.signal,
    corsOrigins: config.corsOrigins,
    reflection: config.grpcReflection,
    metrics: metrics && (() => metrics.text()),
  });
  const tls = config.tls
    ? { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) }
    : undefined;
  const server = new OnePortServer({ handler, logger, ...(tls ? { tls } : {}) });
  const address = await server.listen(config.port, config.host);
  const scheme = tls ? "https" : "http";
  const url = `${scheme}://${urlHost(config.host)}:${address.port}`;
  logger.info(
    {
      url,
      protocols: tls ? "HTTP/1.1, h2c, gRPC, TLS (h2, http/1.1)" : "HTTP/1.1, h2c, gRPC",
      providers: routes.registry.configured(),
      clientKeys: config.clientKeys.source,
      ...(config.bedrock ? { awsCredentials: config.bedrock.credentialSource } : {}),
      ...(config.modelsFile ? modelsFileFacts(config.modelsFile) : {}),
    },
    `open-bedrock ${VERSION} listening on ${url}`,
  );
  return {
    url,
    port: address.port,
    host: config.host,
    close: (graceMs = SHUTDOWN_GRACE_MS) =>
      server.close(graceMs, () => shutdown.abort(new ConnectError("The server is shutting down.", Code.Unavailable))),
    reloadModels(file) {
      if (file) registerSecrets(...modelsFileSecrets(file));
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
