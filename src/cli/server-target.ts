import { ConfigSources } from "../config/config-sources.js";
import { CliError, UsageError } from "./cli-error.js";

export const DEFAULT_SERVER_URL = "http://localhost:8000";

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

/**
 * The key is `--api-key`, else the API_KEY the server itself would read
 * (environment, `.env`, the user config file), else the first of API_KEYS.
 */
export function resolveServerTarget(options: ServerTargetOptions, env: NodeJS.ProcessEnv): ServerTarget {
  const serverUrl = parseServerUrl(options.serverUrl ?? DEFAULT_SERVER_URL);
  if (options.apiKey !== undefined) {
    if (options.apiKey.trim() === "") throw new UsageError("--api-key must not be empty.");
    return { serverUrl, apiKey: options.apiKey.trim() };
  }
  const sources = new ConfigSources({ env });
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
