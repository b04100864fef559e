import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { join } from "node:path";
import type { CooldownSettings } from "../core/target-cooldown.js";
import { type ConfigSourceOptions, ConfigSources, type SettingValue } from "./config-sources.js";
import { InvalidSettingError } from "./invalid-setting-error.js";
import type { ModelsFile } from "./models-file.js";
import { readModelsFile } from "./read-models-file.js";
import { findSetting, SETTINGS } from "./settings.js";

export interface ClientKeys {
  keys: string[];
  /** Where the keys came from, for the start-up line (never the keys). */
  source: string;
  /** True when no key was configured and the server made one for this run. */
  generated: boolean;
}

export interface OpenAIConfig {
  apiKey: string;
  baseURL: string;
  /** Which implementation of the upstream exchange to use. */
  httpClient: "undici" | "sdk";
}

export interface AwsStaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** How images given by http(s) URL are fetched for Bedrock, which takes only bytes. */
export interface ImageFetchConfig {
  enabled: boolean;
  allowPrivateAddresses: boolean;
  maxBytes: number;
  timeoutMs: number;
}

export interface BedrockConfig {
  region: string;
  /** Which implementation of the Bedrock Runtime exchange to use. */
  httpClient: "undici" | "sdk";
  profile?: string;
  credentials?: AwsStaticCredentials;
  bearerToken?: string;
  roleArn?: string;
  externalId?: string;
  /** Bedrock Runtime endpoint override. */
  runtimeEndpoint?: string;
  /** Bedrock control-plane endpoint override (model listing). */
  controlEndpoint?: string;
  /** Where the credentials come from, for the start-up line. */
  credentialSource: string;
  imageFetch: ImageFetchConfig;
  /** A guardrail applied to every request (BEDROCK_GUARDRAIL_*). */
  guardrail?: { identifier: string; version: string; trace: "disabled" | "enabled" | "enabled_full" };
  /** BEDROCK_PROMPT_CACHE=auto: cache breakpoints after the tools and the system prompt. */
  autoCache?: boolean;
}

/** What the models file's providers take from the environment's settings. */
export interface ProviderDefaults {
  /** OPENAI_HTTP_CLIENT */
  openaiHttpClient: OpenAIConfig["httpClient"];
  /** BEDROCK_HTTP_CLIENT */
  bedrockHttpClient: BedrockConfig["httpClient"];
  /** AWS_REGION, for a Bedrock provider that names no region. */
  awsRegion: string;
  imageFetch: ImageFetchConfig;
  /** BEDROCK_GUARDRAIL_* and BEDROCK_PROMPT_CACHE: the server's controls, for every Bedrock provider. */
  bedrockControls: Pick<BedrockConfig, "guardrail" | "autoCache">;
}

/** What the server allows each client, connection and request: the settings against oversized or slow clients. */
export interface ServerLimits {
  /** Largest request body or RPC message, in bytes. */
  maxBodyBytes: number;
  /** Most messages one chat request may carry. */
  maxMessages: number;
  /** For a connection's first bytes, and an HTTP/1.1 request's headers. */
  headersTimeoutMs: number;
  /** For a whole request, headers and body (not its answer). */
  requestTimeoutMs: number;
  /** How long an idle HTTP/1.1 connection stays open. */
  keepAliveTimeoutMs: number;
  /** How long an HTTP/2 connection with no request running stays open. */
  http2IdleTimeoutMs: number;
  /** Most requests one HTTP/2 connection may run at once. */
  http2MaxConcurrentStreams: number;
}

export interface AppConfig {
  host: string;
  port: number;
  /** How many processes serve the port (1: this one alone). */
  workers: number;
  limits: ServerLimits;
  /** How long a stopping server lets running requests go on. */
  shutdownGraceMs: number;
  /** HEAP_GROWTH_PERCENT: how far V8's heap grows past what a full collection kept; 0: V8's own choice. */
  heapGrowthPercent: number;
  tls?: { certPath: string; keyPath: string };
  clientKeys: ClientKeys;
  /** Browser origins allowed by CORS (`*` for any); empty: no CORS. */
  corsOrigins: string[];
  /** Serve gRPC server reflection. */
  grpcReflection: boolean;
  /** Collect metrics and serve them at `GET /metrics`. */
  metricsEnabled: boolean;
  openai?: OpenAIConfig;
  bedrock?: BedrockConfig;
  defaultOpenAIModel: string;
  logLevel: string;
  upstreamTimeoutMs: number;
  /** UPSTREAM_RETRIES */
  upstreamRetries: number;
  /** COOLDOWN_FAILURES and COOLDOWN_SECONDS */
  cooldown: CooldownSettings;
  /** MODELS_FILE, read and checked; re-read on reload. */
  modelsFile?: ModelsFile;
  providerDefaults: ProviderDefaults;
}

class SettingReader {
  constructor(private readonly sources: ConfigSources) {}

  value(name: string): SettingValue | undefined {
    const setting = findSetting(name);
    const found = this.sources.get(name);
    if (found && setting?.check) {
      const problem = setting.check(found.value);
      if (problem) throw new InvalidSettingError(`${name} (from the ${found.origin}) ${problem}.`);
    }
    if (found) return found;
    return setting?.default === undefined ? undefined : { value: setting.default, origin: "default" };
  }

  string(name: string): string | undefined {
    return this.value(name)?.value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new InvalidSettingError(`${name} has no value.`);
    return value;
  }
}

function readClientKeys(settings: SettingReader): ClientKeys {
  const single = settings.value("API_KEY");
  const many = settings.value("API_KEYS");
  const keys = [
    ...(single ? [single.value.trim()] : []),
    ...(many ? many.value.split(",").map((key) => key.trim()) : []),
  ].filter((key, index, all) => key !== "" && all.indexOf(key) === index);
  if (keys.length > 0) {
    const origins = [single && `API_KEY (${single.origin})`, many && `API_KEYS (${many.origin})`];
    return { keys, source: origins.filter(Boolean).join(" and "), generated: false };
  }
  return { keys: [`ob-${randomBytes(24).toString("base64url")}`], source: "generated for this run", generated: true };
}

function readImageFetch(setting: (name: string) => string): ImageFetchConfig {
  return {
    enabled: setting("IMAGE_FETCH_ENABLED") === "true",
    allowPrivateAddresses: setting("IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS") === "true",
    maxBytes: Number(setting("IMAGE_FETCH_MAX_BYTES")),
    timeoutMs: Number(setting("IMAGE_FETCH_TIMEOUT_MS")),
  };
}

/** How images are fetched when nothing is configured: the settings' defaults. */
export const DEFAULT_IMAGE_FETCH: ImageFetchConfig = readImageFetch((name) => findSetting(name)?.default ?? "");

function readLimits(setting: (name: string) => string): ServerLimits {
  const number = (name: string) => Number(setting(name));
  const limits = {
    maxBodyBytes: number("MAX_BODY_BYTES"),
    maxMessages: number("MAX_MESSAGES"),
    headersTimeoutMs: number("HEADERS_TIMEOUT_MS"),
    requestTimeoutMs: number("REQUEST_TIMEOUT_MS"),
    keepAliveTimeoutMs: number("KEEP_ALIVE_TIMEOUT_MS"),
    http2IdleTimeoutMs: number("HTTP2_IDLE_TIMEOUT_MS"),
    http2MaxConcurrentStreams: number("HTTP2_MAX_CONCURRENT_STREAMS"),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new InvalidSettingError(
      `HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs}): the headers are part of the request.`,
    );
  }
  return limits;
}

/** The limits when nothing is configured: the settings' defaults. */
export const DEFAULT_LIMITS: ServerLimits = readLimits((name) => findSetting(name)?.default ?? "");

/** `auto`: one process per core this process may run on. */
function readWorkers(value: string): number {
  return value.trim() === "auto" ? availableParallelism() : Number(value);
}

function readOpenAI(settings: SettingReader, defaults: ProviderDefaults): OpenAIConfig | undefined {
  const apiKey = settings.string("OPENAI_API_KEY");
  if (apiKey === undefined) return undefined;
  return {
    apiKey,
    baseURL: settings.required("OPENAI_BASE_URL"),
    httpClient: defaults.openaiHttpClient,
  };
}

/**
 * Bedrock counts as configured when some credential is visible: static keys,
 * a profile, a bearer token, a role, web identity, container credentials, or
 * a shared credentials file. The SDK's chain then does the rest.
 */
function readBedrock(
  settings: SettingReader,
  env: NodeJS.ProcessEnv,
  defaults: ProviderDefaults,
): BedrockConfig | undefined {
  const accessKeyId = settings.string("AWS_ACCESS_KEY_ID");
  const secretAccessKey = settings.string("AWS_SECRET_ACCESS_KEY");
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new InvalidSettingError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together.");
  }
  const sessionToken = settings.string("AWS_SESSION_TOKEN");
  const credentials =
    accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
      : undefined;
  const profile = settings.string("AWS_PROFILE");
  const bearerToken = settings.string("AWS_BEARER_TOKEN_BEDROCK");
  const roleArn = settings.string("AWS_ROLE_ARN");
  const home = env.HOME ?? homedir();
  const sharedFile = env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials");
  const configFile = env.AWS_CONFIG_FILE ?? join(home, ".aws", "config");
  const enabled = settings.required("BEDROCK_ENABLED");
  if (enabled === "false") return undefined;
  const credentialSource = credentials
    ? "static AWS keys"
    : bearerToken
      ? "Bedrock API key"
      : profile
        ? `AWS profile ${profile}`
        : env.AWS_WEB_IDENTITY_TOKEN_FILE
          ? "web identity"
          : env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI
            ? "container credentials"
            : existsSync(sharedFile)
              ? "shared credentials file"
              : existsSync(configFile)
                ? "shared config file"
                : undefined;
  // An instance role cannot be seen without asking the metadata service: `true` trusts the chain.
  if (credentialSource === undefined && roleArn === undefined && enabled !== "true") return undefined;
  const optional = (name: string) => settings.string(name);
  const runtimeEndpoint = optional("BEDROCK_ENDPOINT_URL") ?? optional("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  const controlEndpoint = optional("AWS_ENDPOINT_URL_BEDROCK");
  const externalId = optional("AWS_EXTERNAL_ID");
  return {
    region: defaults.awsRegion,
    httpClient: defaults.bedrockHttpClient,
    credentialSource: credentialSource ?? "the default AWS chain",
    imageFetch: defaults.imageFetch,
    ...(profile ? { profile } : {}),
    ...(credentials ? { credentials } : {}),
    ...(bearerToken ? { bearerToken } : {}),
    ...(roleArn ? { roleArn } : {}),
    ...(externalId ? { externalId } : {}),
    ...(runtimeEndpoint ? { runtimeEndpoint } : {}),
    ...(controlEndpoint ? { controlEndpoint } : {}),
    ...defaults.bedrockControls,
  };
}

function readBedrockControls(settings: SettingReader): ProviderDefaults["bedrockControls"] {
  const guardrail = readGuardrail(settings);
  return {
    ...(guardrail ? { guardrail } : {}),
    ...(settings.required("BEDROCK_PROMPT_CACHE") === "auto" ? { autoCache: true } : {}),
  };
}

/** BEDROCK_GUARDRAIL_ID and BEDROCK_GUARDRAIL_VERSION, set together, and the trace. */
function readGuardrail(settings: SettingReader): BedrockConfig["guardrail"] {
  const identifier = settings.string("BEDROCK_GUARDRAIL_ID");
  const version = settings.string("BEDROCK_GUARDRAIL_VERSION");
  if ((identifier === undefined) !== (version === undefined)) {
    throw new InvalidSettingError("BEDROCK_GUARDRAIL_ID and BEDROCK_GUARDRAIL_VERSION must be set together.");
  }
  if (identifier === undefined || version === undefined) return undefined;
  const trace = settings.required("BEDROCK_GUARDRAIL_TRACE") as "disabled" | "enabled" | "enabled_full";
  return { identifier, version, trace };
}

/** Reads every setting, checks it, and answers the server's configuration. */
export function loadConfig(options: ConfigSourceOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const sources = new ConfigSources(options);
  const settings = new SettingReader(sources);
  // A bad value is a mistake even where nothing reads it yet (a Bedrock
  // endpoint without AWS credentials): refuse it now, not on the day it matters.
  for (const setting of SETTINGS) settings.value(setting.name);
  const certPath = settings.string("TLS_CERT");
  const keyPath = settings.string("TLS_KEY");
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new InvalidSettingError("TLS_CERT and TLS_KEY must be set together.");
  }
  // What every provider of its kind shares, the environment's and the models file's.
  const providerDefaults: ProviderDefaults = {
    openaiHttpClient: settings.required("OPENAI_HTTP_CLIENT") as OpenAIConfig["httpClient"],
    bedrockHttpClient: settings.required("BEDROCK_HTTP_CLIENT") as BedrockConfig["httpClient"],
    awsRegion: settings.required("AWS_REGION"),
    imageFetch: readImageFetch((name) => settings.required(name)),
    bedrockControls: readBedrockControls(settings),
  };
  const openai = readOpenAI(settings, providerDefaults);
  const bedrock = readBedrock(settings, env, providerDefaults);
  const modelsFilePath = settings.string("MODELS_FILE");
  // `${NAME}` in the file reads the same sources as the settings: the environment, .env, the config file.
  const modelsFile =
    modelsFilePath === undefined ? undefined : readModelsFile(modelsFilePath, (name) => sources.get(name)?.value);
  return {
    host: settings.required("HOST"),
    port: Number(settings.required("PORT")),
    workers: readWorkers(settings.required("WORKERS")),
    limits: readLimits((name) => settings.required(name)),
    shutdownGraceMs: Number(settings.required("SHUTDOWN_GRACE_MS")),
    heapGrowthPercent: Number(settings.required("HEAP_GROWTH_PERCENT")),
    ...(certPath && keyPath ? { tls: { certPath, keyPath } } : {}),
    clientKeys: readClientKeys(settings),
    grpcReflection: settings.required("GRPC_REFLECTION") === "true",
    metricsEnabled: settings.required("METRICS_ENABLED") === "true",
    corsOrigins: (settings.string("CORS_ALLOWED_ORIGINS") ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    ...(openai ? { openai } : {}),
    ...(bedrock ? { bedrock } : {}),
    defaultOpenAIModel: settings.required("DEFAULT_OPENAI_MODEL"),
    logLevel: settings.required("LOG_LEVEL"),
    upstreamTimeoutMs: Number(settings.required("UPSTREAM_TIMEOUT_MS")),
    upstreamRetries: Number(settings.required("UPSTREAM_RETRIES")),
    cooldown: {
      failures: Number(settings.required("COOLDOWN_FAILURES")),
      seconds: Number(settings.required("COOLDOWN_SECONDS")),
    },
    ...(modelsFile ? { modelsFile } : {}),
    providerDefaults,
  };
}
