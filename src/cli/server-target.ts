import { ConfigSources } from "../config/config-sources.js";
import { CliError, UsageError } from "./cli-error.js";

/** Where a server with the default HOST and PORT listens. */
export const DEFAULT_SERVER_URL = "http://127.0.0.1:8000";

/** Where `chat` and `models` send their requests, and the key they send. */
export interface ServerTarget {
  /** `http(s)://host:port`, without a trailing slash. */
  serverUrl: string;
  apiKey: string;
}

export interface ServerTargetOptions {
  serverUrl?: string;
  apiKey?: string;
}

export function parseServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--server-url '${value}' is not a URL; give one such as ${DEFAULT_SERVER_URL}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--server-url must be an http:// or https:// URL, not '${value}'.`);
  }
  return url.href.replace(/\/+$/, "");
}

/** Addresses a server listens on that a client cannot connect to: any address of this machine. */
const ANY_ADDRESS = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * The address a server started here with the same settings listens on: its
 * HOST (any-address becoming loopback) and PORT, as `serve` reads them.
 */
function localServerUrl(sources: ConfigSources): string {
  const host = sources.get("HOST")?.value.trim() || "127.0.0.1";
  const port = sources.get("PORT")?.value.trim() || "8000";
  const reachable = ANY_ADDRESS.has(host) ? "127.0.0.1" : host;
  const bracketed = reachable.includes(":") && !reachable.startsWith("[") ? `[${reachable}]` : reachable;
  return `http://${bracketed}:${port}`;
}

/**
 * The server is `--server-url`, else the one `open-bedrock serve` would start
 * here (HOST and PORT from the environment, `.env`, the user config file).
 * The key is `--api-key`, else the API_KEY the server itself would read, else
 * the first of API_KEYS.
 */
export function resolveServerTarget(options: ServerTargetOptions, env: NodeJS.ProcessEnv): ServerTarget {
  const sources = new ConfigSources({ env });
  const serverUrl = parseServerUrl(options.serverUrl ?? localServerUrl(sources));
  if (options.apiKey !== undefined) {
    if (options.apiKey.trim() === "") throw new UsageError("--api-key must not be empty.");
    return { serverUrl, apiKey: options.apiKey.trim() };
  }
  const single = sources.get("API_KEY")?.value.trim();
  const first = sources
    .get("API_KEYS")
    ?.value.split(",")
    .map((key) => key.trim())
    .find((key) => key !== "");
  const apiKey = single || first;
  if (!apiKey) {
    throw new CliError(
      "No API key: pass --api-key, or set API_KEY (in the environment, in .env, or with `open-bedrock config set API_KEY`).",
    );
  }
  return { serverUrl, apiKey };
}
