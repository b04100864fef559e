/**
 * Every setting the server and the CLI read, by the name used in the
 * environment, in `.env` and in the user config file (`config set NAME VALUE`).
 */
export interface Setting {
  name: string;
  description: string;
  default?: string;
  /** Masked in `config list` and never logged. */
  secret?: boolean;
  /** Returns why the value is refused, or undefined when it is fine. */
  check?: (value: string) => string | undefined;
  /** Asked for by the interactive `config set`. */
  common?: boolean;
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

/** The shortest client key the server takes. */
export const MIN_CLIENT_KEY_LENGTH = 8;

function integerIn(min: number, max: number) {
  return (value: string): string | undefined => {
    const number = Number(value);
    return /^\d+$/.test(value.trim()) && number >= min && number <= max
      ? undefined
      : `must be a whole number from ${min} to ${max}`;
  };
}

/** `auto`, or a whole number from 1 to `max`. */
function countOrAuto(max: number) {
  const count = integerIn(1, max);
  return (value: string): string | undefined =>
    value.trim() === "auto" || count(value) === undefined
      ? undefined
      : `must be auto or a whole number from 1 to ${max}`;
}

/** A client key: long enough not to be guessed, nor mistaken for a word when the log is scrubbed of it. */
function clientKey(value: string): string | undefined {
  const key = value.trim();
  if (key === "") return "must not be empty";
  return key.length < MIN_CLIENT_KEY_LENGTH
    ? `must be at least ${MIN_CLIENT_KEY_LENGTH} characters long (it has ${key.length}): a short key is easy to guess`
    : undefined;
}

/** Client keys, comma-separated: each as `clientKey` wants it (blank entries are left out). */
function clientKeyList(value: string): string | undefined {
  const keys = value
    .split(",")
    .map((key) => key.trim())
    .filter(Boolean);
  const short = keys.find((key) => clientKey(key) !== undefined);
  return short === undefined
    ? undefined
    : `must hold keys of at least ${MIN_CLIENT_KEY_LENGTH} characters each (one has ${short.length}): a short key is easy to guess`;
}

export function url(value: string): string | undefined {
  try {
    const parsed = new URL(value);
    return parsed.protocol === "http:" || parsed.protocol === "https:"
      ? undefined
      : "must be an http:// or https:// URL";
  } catch {
    return "must be a URL such as https://example.com/v1";
  }
}

/** Seconds, fractions allowed: short rests make tests quick. */
function secondsIn(min: number, max: number) {
  return (value: string): string | undefined => {
    const number = Number(value);
    return /^\d+(\.\d+)?$/.test(value.trim()) && number >= min && number <= max
      ? undefined
      : `must be a number of seconds from ${min} to ${max}`;
  };
}

function oneOf(values: string[]) {
  return (value: string) => (values.includes(value) ? undefined : `must be one of ${values.join(", ")}`);
}

export function notBlank(value: string): string | undefined {
  return value.trim() === "" ? "must not be empty" : undefined;
}

export const SETTINGS: readonly Setting[] = [
  {
    name: "API_KEY",
    description: "Key clients must send as `Authorization: Bearer <key>`",
    secret: true,
    check: clientKey,
    common: true,
  },
  {
    name: "API_KEYS",
    description: "Several client keys, comma-separated (added to API_KEY)",
    secret: true,
    check: clientKeyList,
  },
  { name: "HOST", description: "Address to listen on", default: "127.0.0.1", check: notBlank, common: true },
  {
    name: "PORT",
    description: "Port for HTTP/1.1, h2c, gRPC and (with TLS) HTTPS",
    default: "8000",
    check: integerIn(0, 65535),
    common: true,
  },
  {
    name: "TLS_CERT",
    description: "PEM certificate file; with TLS_KEY the port also speaks TLS (ALPN h2, http/1.1)",
    check: notBlank,
  },
  { name: "TLS_KEY", description: "PEM private key file for TLS_CERT", check: notBlank },
  {
    name: "WORKERS",
    description:
      "Processes serving the one port: a number, or `auto` for one per available core; a worker that dies is replaced",
    default: "1",
    check: countOrAuto(256),
  },
  {
    name: "GRPC_REFLECTION",
    description:
      "Serve gRPC server reflection (it needs no key), so grpcurl and buf curl work without the proto files (true or false)",
    default: "true",
    check: oneOf(["true", "false"]),
  },
  {
    name: "METRICS_ENABLED",
    description: "Serve Prometheus metrics at GET /metrics, which needs a client key like /v1 (true or false)",
    default: "true",
    check: oneOf(["true", "false"]),
  },
  {
    name: "CORS_ALLOWED_ORIGINS",
    description: "Browser origins allowed to call the server (CORS), comma-separated, or * for any; none by default",
    check: notBlank,
  },
  {
    name: "OPENAI_API_KEY",
    description: "OpenAI key; without it the OpenAI provider is off",
    secret: true,
    check: notBlank,
    common: true,
  },
  {
    name: "OPENAI_BASE_URL",
    description: "OpenAI-compatible upstream",
    default: "https://api.openai.com/v1",
    check: url,
  },
  {
    name: "OPENAI_HTTP_CLIENT",
    description: "How to reach OpenAI: `undici` (a lean keep-alive pool) or `sdk` (the official openai SDK)",
    default: "undici",
    check: oneOf(["undici", "sdk"]),
  },
  {
    name: "DEFAULT_OPENAI_MODEL",
    description: "Model used when a request names none",
    default: "gpt-4o-mini",
    check: notBlank,
    common: true,
  },
  {
    name: "BEDROCK_ENABLED",
    description:
      "`auto`: Bedrock is on when AWS credentials are visible; `true`: always, trusting the AWS chain (EC2 instance roles); `false`: off",
    default: "auto",
    check: oneOf(["auto", "true", "false"]),
  },
  { name: "AWS_REGION", description: "Bedrock region", default: "us-east-1", check: notBlank, common: true },
  {
    name: "AWS_PROFILE",
    description: "Profile of the shared AWS config/credentials files",
    check: notBlank,
    common: true,
  },
  { name: "AWS_ACCESS_KEY_ID", description: "Static AWS credentials (else the standard AWS chain)", check: notBlank },
  { name: "AWS_SECRET_ACCESS_KEY", description: "Secret for AWS_ACCESS_KEY_ID", secret: true, check: notBlank },
  {
    name: "AWS_SESSION_TOKEN",
    description: "Session token for temporary AWS credentials",
    secret: true,
    check: notBlank,
  },
  { name: "AWS_ROLE_ARN", description: "Role to assume for Bedrock calls", check: notBlank },
  { name: "AWS_EXTERNAL_ID", description: "External id for AWS_ROLE_ARN", check: notBlank },
  {
    name: "AWS_BEARER_TOKEN_BEDROCK",
    description: "Bedrock API key (bearer token) instead of SigV4 credentials",
    secret: true,
    check: notBlank,
  },
  { name: "BEDROCK_ENDPOINT_URL", description: "Bedrock Runtime endpoint override", check: url },
  {
    name: "BEDROCK_HTTP_CLIENT",
    description:
      "How to reach Bedrock Runtime: `undici` (a lean keep-alive pool with the AWS signer and event-stream codec) or `sdk` (the AWS SDK client)",
    default: "undici",
    check: oneOf(["undici", "sdk"]),
  },
  {
    name: "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    description: "The AWS SDKs' own Bedrock Runtime endpoint override",
    check: url,
  },
  { name: "AWS_ENDPOINT_URL_BEDROCK", description: "Bedrock control-plane endpoint (model listing)", check: url },
  {
    name: "BEDROCK_GUARDRAIL_ID",
    description: "A Bedrock guardrail (id or ARN) applied to every Bedrock request; needs BEDROCK_GUARDRAIL_VERSION",
    check: notBlank,
  },
  {
    name: "BEDROCK_GUARDRAIL_VERSION",
    description: "The version of BEDROCK_GUARDRAIL_ID: a number or DRAFT",
    check: (value) => (/^(?:[1-9][0-9]{0,7}|DRAFT)$/.test(value) ? undefined : "must be a version number or DRAFT"),
  },
  {
    name: "BEDROCK_GUARDRAIL_TRACE",
    description: "The guardrail's trace in answers (`guardrail_trace`): disabled, enabled or enabled_full",
    default: "disabled",
    check: oneOf(["disabled", "enabled", "enabled_full"]),
  },
  {
    name: "BEDROCK_PROMPT_CACHE",
    description:
      "`auto`: cache breakpoints after the tools and the system prompt for Bedrock models that cache, when a request marks none; `off`: only the caller's cache_control",
    default: "off",
    check: oneOf(["off", "auto"]),
  },
  {
    name: "IMAGE_FETCH_ENABLED",
    description: "Fetch images given by http(s) URL for Bedrock models (true or false)",
    default: "true",
    check: oneOf(["true", "false"]),
  },
  {
    name: "IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS",
    description: "Let image URLs reach loopback, private, link-local and metadata addresses (true or false)",
    default: "false",
    check: oneOf(["true", "false"]),
  },
  {
    name: "IMAGE_FETCH_MAX_BYTES",
    description: "Largest image fetched by URL, in bytes",
    default: "3932160",
    check: integerIn(1, 33_554_432),
  },
  {
    name: "IMAGE_FETCH_TIMEOUT_MS",
    description: "Longest wait for an image fetched by URL, redirects included, in milliseconds",
    default: "10000",
    check: integerIn(1, 600_000),
  },
  {
    name: "UPSTREAM_TIMEOUT_MS",
    description:
      "Longest the upstream may stay silent, in milliseconds: for the answer to begin, or for a stream's next chunk (a stream that keeps flowing is never cut)",
    default: "600000",
    check: integerIn(1, 86_400_000),
  },
  {
    name: "UPSTREAM_RETRIES",
    description:
      "More attempts at the same upstream after a 429, a 503 or a connection failure before any answer, with exponential backoff and jitter (a retry-after up to 10 s is waited for; a longer one ends the retries)",
    default: "2",
    check: integerIn(0, 10),
  },
  {
    name: "MODELS_FILE",
    description:
      "YAML or JSON file of named providers (more accounts and regions), model aliases and their fallback targets (docs/models-file.md); re-read on SIGHUP and when it changes",
    check: notBlank,
  },
  {
    name: "COOLDOWN_FAILURES",
    description:
      "A models-file target that failed this many requests in a row rests for COOLDOWN_SECONDS (skipped unless it is the last target left); 0: never",
    default: "3",
    check: integerIn(0, 1000),
  },
  {
    name: "COOLDOWN_SECONDS",
    description: "How long a failing models-file target rests, in seconds",
    default: "30",
    check: secondsIn(0.001, 86_400),
  },
  {
    name: "MAX_BODY_BYTES",
    description: "Largest request body or RPC message, in bytes; a larger one is refused with 413 / RESOURCE_EXHAUSTED",
    default: String(32 * 1024 * 1024),
    check: integerIn(1024, 1024 * 1024 * 1024),
  },
  {
    name: "MAX_MESSAGES",
    description: "Most messages one chat request may carry; more are refused with 400 / INVALID_ARGUMENT",
    default: "10000",
    check: integerIn(1, 1_000_000),
  },
  {
    name: "HEADERS_TIMEOUT_MS",
    description:
      "Longest a client may take to send the first bytes of a connection, or a request's headers on HTTP/1.1 (then 408 and the connection is closed), in milliseconds",
    default: "10000",
    check: integerIn(100, 3_600_000),
  },
  {
    name: "REQUEST_TIMEOUT_MS",
    description:
      "Longest a client may take to send a whole request, headers and body, in milliseconds: then HTTP/1.1 answers 408 and HTTP/2 cancels the stream; the answer's own time is not counted",
    default: "300000",
    check: integerIn(100, 86_400_000),
  },
  {
    name: "KEEP_ALIVE_TIMEOUT_MS",
    description: "How long an idle HTTP/1.1 connection waits for its next request before it is closed, in milliseconds",
    default: "5000",
    check: integerIn(100, 3_600_000),
  },
  {
    name: "HTTP2_IDLE_TIMEOUT_MS",
    description:
      "How long an HTTP/2 connection (gRPC's) with no request running stays open before it is closed with GOAWAY, in milliseconds",
    default: "300000",
    check: integerIn(100, 86_400_000),
  },
  {
    name: "HTTP2_MAX_CONCURRENT_STREAMS",
    description:
      "Most requests one HTTP/2 connection may run at once; more are refused with REFUSED_STREAM, which gRPC clients retry",
    default: "250",
    check: integerIn(1, 100_000),
  },
  {
    name: "HEAP_GROWTH_PERCENT",
    description:
      "How far the JavaScript heap grows past what the last full garbage collection kept, in percent, before the next one; lower holds less memory for more frequent collections; 0 leaves it to V8, which picks 10 to 300 by how fast its collector runs",
    default: "50",
    check: integerIn(0, 1000),
  },
  {
    name: "SHUTDOWN_GRACE_MS",
    description:
      "On SIGTERM or SIGINT, how long running requests may go on before they are ended (RPCs with UNAVAILABLE), in milliseconds",
    default: "10000",
    check: integerIn(0, 3_600_000),
  },
  {
    name: "LOG_LEVEL",
    description: "trace, debug, info, warn, error, fatal or silent",
    default: "info",
    check: oneOf(LOG_LEVELS),
  },
];

const BY_NAME = new Map(SETTINGS.map((setting) => [setting.name, setting]));

export function findSetting(name: string): Setting | undefined {
  return BY_NAME.get(name);
}
